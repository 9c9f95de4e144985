import fc from 'fast-check';
import { ZodFirstPartyTypeKind } from 'zod';
import type { ZodTypeAny } from 'zod';

/**
 * Values for a zod schema, for fuzzing a route: mostly of the schema's shape (so requests get past
 * the first check and reach the handler and the database), with wrong types, edge strings and
 * unknown keys mixed in at every level. Written here rather than taken from zod-fast-check because
 * that one peers on fast-check < 4 and only makes values the schema accepts (it filters refinements),
 * while a fuzzer wants the near misses too.
 */
export function zodArbitrary(schema: ZodTypeAny, depth = 0): fc.Arbitrary<unknown> {
  const shaped = shapedArbitrary(schema, depth);
  // A wrong value at this level now and then: any JSON instead of what the schema wants.
  return fc.oneof({ weight: 12, arbitrary: shaped }, { weight: 1, arbitrary: anyJson });
}

/** Strings that have broken parsers before: empty, blank, control characters, huge, code-like. */
export const edgeStrings = [
  '',
  ' ',
  '\u0000',
  '\n\t',
  '__proto__',
  'constructor',
  "'; DROP TABLE customers; --",
  '%00',
  '../../etc/passwd',
  '{{7*7}}',
  '\u202e\ud83d\ude00',
  '\ud800',
  'NaN',
  '-1',
  '1e400',
  '9007199254740993',
  'x'.repeat(5000),
];

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(...edgeStrings, null, -1, 0, 1.5, 2 ** 53, true, [], {}),
);

const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(...edgeStrings) },
);

const isoDateTime = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

interface Check {
  kind: string;
  value?: unknown;
  regex?: RegExp;
}

function checksOf(schema: ZodTypeAny): Check[] {
  return (schema._def as { checks?: Check[] }).checks ?? [];
}

function stringArbitrary(schema: ZodTypeAny): fc.Arbitrary<string> {
  const checks = checksOf(schema);
  const has = (kind: string) => checks.some((check) => check.kind === kind);
  const bound = (kind: string) => checks.find((check) => check.kind === kind)?.value as number | undefined;
  let fitting: fc.Arbitrary<string>;
  if (has('uuid')) fitting = fc.uuid();
  else if (has('email')) fitting = fc.emailAddress();
  else if (has('url')) fitting = fc.webUrl();
  else if (has('datetime')) fitting = isoDateTime;
  else if (has('date')) fitting = isoDateTime.map((value) => value.slice(0, 10));
  else if (has('regex')) fitting = fc.stringMatching(checks.find((check) => check.kind === 'regex')!.regex!);
  else {
    const exact = bound('length');
    const minLength = exact ?? bound('min') ?? 0;
    const maxLength = exact ?? Math.min(bound('max') ?? minLength + 40, minLength + 200);
    fitting = fc.string({ minLength, maxLength });
  }
  // Phone numbers, times of day and ids are strings too: known shapes for fields named like one.
  const known = fc.constantFrom(
    '+12125550123',
    '+447700900123',
    '09:00',
    '2026-06-01',
    '2026-06-01T10:00:00Z',
    'en-US',
    'America/New_York',
    'CA1234567890abcdef1234567890abcdef',
  );
  return fc.oneof({ weight: 6, arbitrary: fitting }, { weight: 2, arbitrary: known }, { weight: 2, arbitrary: anyString });
}

function numberArbitrary(schema: ZodTypeAny): fc.Arbitrary<number> {
  const checks = checksOf(schema);
  const isInt = checks.some((check) => check.kind === 'int');
  const min = checks.find((check) => check.kind === 'min')?.value as number | undefined;
  const max = checks.find((check) => check.kind === 'max')?.value as number | undefined;
  const fitting = isInt
    ? fc.integer({ min: Math.max(min ?? -1000, Number.MIN_SAFE_INTEGER), max: Math.min(max ?? 100_000, Number.MAX_SAFE_INTEGER) })
    : fc.double({ min: min ?? -1e6, max: max ?? 1e6, noNaN: true, noDefaultInfinity: true });
  const edges = fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, Number.MIN_VALUE);
  return fc.oneof({ weight: 5, arbitrary: fitting }, { weight: 1, arbitrary: edges });
}

/** Keys a client should never be able to smuggle into an object, and keys nobody defined. */
const unknownKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'customer_id', 'id', 'is_platform_admin', 'unknown_field');

function objectArbitrary(schema: ZodTypeAny, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const shape = (schema._def as { shape: () => Record<string, ZodTypeAny> }).shape();
  const fields = Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, zodArbitrary(field, depth + 1)]));
  const requiredKeys = Object.entries(shape)
    .filter(([, field]) => !field.isOptional())
    .map(([key]) => key);
  const known = fc.record(fields, { requiredKeys });
  const extra = fc.option(fc.tuple(unknownKeys, anyJson), { freq: 6 });
  return fc.tuple(known, extra).map(([value, unknown]) => {
    if (!unknown) return value;
    // defineProperty: a plain assignment of "__proto__" would set the prototype, not a key.
    const withExtra: Record<string, unknown> = { ...value };
    Object.defineProperty(withExtra, unknown[0], { value: unknown[1], enumerable: true, configurable: true, writable: true });
    return withExtra;
  });
}

function shapedArbitrary(schema: ZodTypeAny, depth: number): fc.Arbitrary<unknown> {
  const def = schema._def as Record<string, unknown> & { typeName: ZodFirstPartyTypeKind };
  const inner = (key: string) => zodArbitrary(def[key] as ZodTypeAny, depth);
  // Past a few levels (lazy or deeply nested schemas) any JSON will do.
  if (depth > 5) return anyJson;
  switch (def.typeName) {
    case ZodFirstPartyTypeKind.ZodString:
      return stringArbitrary(schema);
    case ZodFirstPartyTypeKind.ZodNumber:
      return numberArbitrary(schema);
    case ZodFirstPartyTypeKind.ZodBigInt:
      return fc.bigInt().map(String);
    case ZodFirstPartyTypeKind.ZodBoolean:
      return fc.boolean();
    case ZodFirstPartyTypeKind.ZodDate:
      return isoDateTime;
    case ZodFirstPartyTypeKind.ZodNull:
      return fc.constant(null);
    case ZodFirstPartyTypeKind.ZodLiteral:
      return fc.constant(def.value);
    case ZodFirstPartyTypeKind.ZodEnum:
      return fc.constantFrom(...(def.values as unknown[]));
    case ZodFirstPartyTypeKind.ZodNativeEnum:
      return fc.constantFrom(...Object.values(def.values as object));
    case ZodFirstPartyTypeKind.ZodObject:
      return objectArbitrary(schema, depth);
    case ZodFirstPartyTypeKind.ZodArray: {
      const min = (def.minLength as { value: number } | null)?.value ?? 0;
      const max = Math.min((def.maxLength as { value: number } | null)?.value ?? min + 4, min + 8);
      return fc.array(zodArbitrary(def.type as ZodTypeAny, depth + 1), { minLength: min, maxLength: max });
    }
    case ZodFirstPartyTypeKind.ZodTuple:
      return fc.tuple(...(def.items as ZodTypeAny[]).map((item) => zodArbitrary(item, depth + 1)));
    case ZodFirstPartyTypeKind.ZodRecord:
      return fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), unknownKeys), zodArbitrary(def.valueType as ZodTypeAny, depth + 1), {
        maxKeys: 4,
      });
    case ZodFirstPartyTypeKind.ZodUnion:
    case ZodFirstPartyTypeKind.ZodDiscriminatedUnion: {
      const options = def.options as ZodTypeAny[] | Map<unknown, ZodTypeAny>;
      const list = Array.isArray(options) ? options : [...options.values()];
      return fc.oneof(...list.map((option) => zodArbitrary(option, depth + 1)));
    }
    case ZodFirstPartyTypeKind.ZodIntersection:
      return fc
        .tuple(inner('left'), inner('right'))
        .map(([left, right]) => (typeof left === 'object' && typeof right === 'object' && left && right ? { ...left, ...right } : right));
    case ZodFirstPartyTypeKind.ZodOptional:
      return fc.option(inner('innerType'), { nil: undefined, freq: 4 });
    case ZodFirstPartyTypeKind.ZodNullable:
      return fc.option(inner('innerType'), { nil: null, freq: 4 });
    case ZodFirstPartyTypeKind.ZodDefault:
      return fc.option(inner('innerType'), { nil: undefined, freq: 4 });
    case ZodFirstPartyTypeKind.ZodCatch:
    case ZodFirstPartyTypeKind.ZodReadonly:
      return inner('innerType');
    case ZodFirstPartyTypeKind.ZodBranded:
      return inner('type');
    case ZodFirstPartyTypeKind.ZodEffects:
      return inner('schema');
    case ZodFirstPartyTypeKind.ZodPipeline:
      return inner('in');
    case ZodFirstPartyTypeKind.ZodLazy:
      return zodArbitrary((def.getter as () => ZodTypeAny)(), depth + 1);
    default:
      return anyJson;
  }
}
