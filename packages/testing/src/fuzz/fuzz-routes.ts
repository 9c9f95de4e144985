import fc from 'fast-check';
import type { ZodTypeAny } from 'zod';
import request from 'supertest';
import { zodArbitrary } from './zod-arbitrary';

/** What the fuzzer needs of a ts-rest route (structurally, so this package needs no ts-rest). */
export interface ContractRouteLike {
  method: string;
  path: string;
  body?: unknown;
  query?: unknown;
  pathParams?: unknown;
  metadata?: unknown;
}

export interface FuzzRoute {
  /** The route's key in its router, e.g. "tenant.updateCaller". */
  key: string;
  route: ContractRouteLike;
}

/** One request the fuzzer sends: a JSON body (or none) or raw bytes with a content type. */
export interface FuzzRequest {
  /** What kind of input this is, for the report ("generated", "invalid JSON", ...). */
  label: string;
  path: string;
  /** Appended to the path as is (raw, so malformed query strings can be sent). */
  rawQuery?: string;
  body?: { json: unknown } | { raw: string; contentType: string; headers?: Record<string, string> };
}

export interface FuzzResponse {
  status: number;
  body: unknown;
  /** The raw body (e.g. TwiML). */
  text: string;
}

function isZodSchema(value: unknown): value is ZodTypeAny {
  return (
    typeof value === 'object' && value !== null && '_def' in value && typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

/** Every route of a ts-rest router (nested routers walked), keyed by its path in the router. */
export function contractRoutes(router: object, prefix: string[] = []): FuzzRoute[] {
  return Object.entries(router).flatMap(([name, entry]: [string, unknown]) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const candidate = entry as Partial<ContractRouteLike>;
    if (typeof candidate.method === 'string' && typeof candidate.path === 'string')
      return [{ key: [...prefix, name].join('.'), route: candidate as ContractRouteLike }];
    return contractRoutes(entry, [...prefix, name]);
  });
}

function hasBody(route: ContractRouteLike): boolean {
  return !['GET', 'DELETE'].includes(route.method) || isZodSchema(route.body);
}

/** A query string from generated values (what a client library would send for them). */
export function toQueryString(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '';
  const search = new URLSearchParams();
  for (const [key, item] of Object.entries(value)) {
    for (const one of Array.isArray(item) ? item : [item]) {
      if (one === undefined) continue;
      search.append(key, typeof one === 'object' && one !== null ? JSON.stringify(one) : String(one));
    }
  }
  return search.toString();
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) becomes a malformed escape. */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value
      .replace(/[\ud800-\udfff]/g, '%ED%A0%80')
      .split('%ED%A0%80')
      .map(encodeURIComponent)
      .join('%ED%A0%80');
  }
}

function fillPath(path: string, params: Record<string, unknown>): string {
  return path.replace(/:(\w+)/g, (_match, name: string) => encodeSegment(String(params[name] ?? `missing-${name}`)));
}

/**
 * `count` requests generated from the route's schemas: path parameters mostly the valid ones given
 * (so the request reaches the body checks and the handler), query and body from zodArbitrary.
 * Deterministic for a seed.
 */
export function generatedRequests(
  route: ContractRouteLike,
  options: { validParams: Record<string, string>; seed: number; count: number; pinned?: Record<string, unknown> },
): FuzzRequest[] {
  const params = isZodSchema(route.pathParams)
    ? fc.oneof(
        { weight: 6, arbitrary: fc.constant<unknown>(options.validParams) },
        { weight: 1, arbitrary: zodArbitrary(route.pathParams) },
      )
    : fc.constant<unknown>(options.validParams);
  const query = isZodSchema(route.query) ? withPinned(zodArbitrary(route.query), options.pinned) : fc.constant(undefined);
  const body = isZodSchema(route.body) ? withPinned(zodArbitrary(route.body), options.pinned) : fc.constant(undefined);
  const samples = fc.sample(fc.tuple(params, query, body), { seed: options.seed, numRuns: options.count });
  return samples.map(([pathParams, queryValue, bodyValue]) => {
    const merged = typeof pathParams === 'object' && pathParams !== null ? { ...options.validParams, ...pathParams } : options.validParams;
    const rawQuery = toQueryString(queryValue);
    return {
      label: 'generated',
      path: fillPath(route.path, merged),
      ...(rawQuery ? { rawQuery } : {}),
      ...(hasBody(route) && bodyValue !== undefined ? { body: { json: bodyValue } } : {}),
    };
  });
}

/**
 * Three times in four, top-level fields named in `pinned` (e.g. customer_id) take the pinned value,
 * so a generated request usually names the caller's own tenant and gets past the tenant check.
 */
function withPinned(arbitrary: fc.Arbitrary<unknown>, pinned: Record<string, unknown> | undefined): fc.Arbitrary<unknown> {
  if (!pinned) return arbitrary;
  return fc.tuple(arbitrary, fc.integer({ min: 0, max: 3 })).map(([value, dice]) => {
    if (dice === 0 || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const replaced = Object.fromEntries(Object.entries(pinned).filter(([key]) => key in value));
    return { ...value, ...replaced };
  });
}

const json = (raw: string) => ({ raw, contentType: 'application/json' });
const PROTO_POLLUTION = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}';

/** Bad bodies that reach the route's own validation: every route with a body gets each of them. */
const ROUTE_BODIES: [string, { raw: string; contentType: string }][] = [
  ['prototype-pollution keys', json(PROTO_POLLUTION)],
  ['unknown fields only', json('{"unknown_field":1,"customer_id":999999,"is_platform_admin":true}')],
  ['JSON array', json('[1,2,3]')],
  ['empty JSON body', json('')],
];

/**
 * Bad bodies the body parser refuses before any route sees them: the same for every route, so each
 * route gets two of them in turn (`rotation`), and every one is sent to many routes.
 */
const PARSER_BODIES: [string, { raw: string; contentType: string; headers?: Record<string, string> }][] = [
  ['invalid JSON', json('{"broken": ')],
  ['JSON null', json('null')],
  ['JSON string', json('"text"')],
  ['JSON number', json('42')],
  ['huge string', json(JSON.stringify({ value: 'x'.repeat(3_000_000) }))],
  ['deeply nested JSON', json(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`)],
  ['text/plain body', { raw: 'hello', contentType: 'text/plain' }],
  ['XML body', { raw: '<request><name>x</name></request>', contentType: 'application/xml' }],
  ['form body', { raw: 'name=x&__proto__[polluted]=yes', contentType: 'application/x-www-form-urlencoded' }],
  ['unsupported charset', { raw: '{}', contentType: 'application/json; charset=utf-7' }],
  ['bad content-encoding', { raw: 'not gzip', contentType: 'application/json', headers: { 'content-encoding': 'gzip' } }],
  ['unknown content-encoding', { raw: '{}', contentType: 'application/json', headers: { 'content-encoding': 'br2' } }],
];

/**
 * Hand-made bad requests every route must refuse cleanly: malformed query strings, and for routes
 * that take a body, bad bodies (broken JSON, wrong content types and encodings, huge and deeply
 * nested bodies, top-level values of the wrong type, prototype-pollution keys). `rotation` picks
 * which of the parser-level bodies this route gets.
 */
export function malformedRequests(route: ContractRouteLike, validParams: Record<string, string>, rotation = 0): FuzzRequest[] {
  const path = fillPath(route.path, validParams);
  const queries: FuzzRequest[] = [
    {
      label: 'malformed query',
      path,
      rawQuery: 'limit=abc&limit=1&cursor=&__proto__[polluted]=yes&constructor[prototype][polluted]=yes&%E0%A4%A=1',
    },
    // Long, but under Node's 16 KiB header limit (past it Node itself answers 431 before any app runs).
    { label: 'huge query', path, rawQuery: `cursor=${'x'.repeat(8_000)}&from=${'9'.repeat(400)}&limit=${'9'.repeat(400)}` },
  ];
  if (!hasBody(route)) return queries;
  const parser = [0, 1].map((offset) => PARSER_BODIES[(rotation * 2 + offset) % PARSER_BODIES.length]!);
  return [...queries, ...[...ROUTE_BODIES, ...parser].map(([label, body]) => ({ label, path, body }))];
}

/** Sends a FuzzRequest to an in-process app with supertest, with the given extra headers. */
export async function sendFuzzRequest(
  app: Parameters<typeof request>[0],
  method: string,
  fuzzRequest: FuzzRequest,
  headers: Record<string, string> = {},
): Promise<FuzzResponse> {
  const url = fuzzRequest.rawQuery ? `${fuzzRequest.path}?${fuzzRequest.rawQuery}` : fuzzRequest.path;
  let pending = request(app)[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](url);
  for (const [name, value] of Object.entries(headers)) pending = pending.set(name, value);
  const body = fuzzRequest.body;
  if (body && 'raw' in body) {
    pending = pending.set('content-type', body.contentType);
    for (const [name, value] of Object.entries(body.headers ?? {})) pending = pending.set(name, value);
    pending = pending.send(body.raw);
  } else if (body) {
    pending = pending.set('content-type', 'application/json').send(JSON.stringify(body.json) ?? 'null');
  }
  const response = await pending;
  return { status: response.status, body: response.body as unknown, text: response.text };
}

/**
 * What is wrong with an error answer, or [] when it is one AppError wire shape that names the
 * problem: `{ success: false, error, code, details? }`, the status the code maps to, a non-empty
 * message, and for a validation failure the offending fields.
 */
export function wireErrorProblems(response: FuzzResponse, statusByCode: Readonly<Record<string, number>>): string[] {
  const body = response.body as { success?: unknown; error?: unknown; code?: unknown; details?: unknown } | null;
  if (typeof body !== 'object' || body === null) return [`the body is not the error shape: ${JSON.stringify(body)}`];
  const problems: string[] = [];
  if (body.success !== false) problems.push('success is not false');
  if (typeof body.error !== 'string' || body.error.trim() === '') problems.push('error does not say what is wrong');
  if (typeof body.code !== 'string' || !(body.code in statusByCode)) problems.push(`unknown code ${JSON.stringify(body.code)}`);
  else if (statusByCode[body.code] !== response.status) problems.push(`code ${body.code} answered with status ${response.status}`);
  if (body.code === 'VALIDATION_FAILED') {
    const details = body.details as { path?: unknown; message?: unknown }[] | undefined;
    if (!Array.isArray(details) || details.length === 0) problems.push('a validation failure names no field');
    else if (details.some((detail) => typeof detail.path !== 'string' || typeof detail.message !== 'string' || detail.message === ''))
      problems.push('a validation detail lacks a path or message');
  }
  const allowed = new Set(['success', 'error', 'code', 'details']);
  const extra = Object.keys(body).filter((key) => !allowed.has(key));
  if (extra.length > 0) problems.push(`extra keys ${extra.join(', ')}`);
  return problems;
}

export interface FuzzServiceOptions {
  routes: FuzzRoute[];
  /** The seed of every generator (print it in failures so a run can be repeated). */
  seed: number;
  /**
   * Generated requests per route (the malformed ones come on top). A fixed number, never "as many
   * as time allows": what is tested must not depend on the machine's speed, or a faster CI machine
   * finds what the last run did not.
   */
  generatedPerRoute: number;
  /** HTTP_STATUS_BY_CODE of @neurosphere/http: the codes an error may carry and their statuses. */
  statusByCode: Readonly<Record<string, number>>;
  /** Values that top-level body and query fields of these names usually take (see withPinned). */
  pinned?: Record<string, unknown>;
  /** Valid path parameters for a route (so generated requests reach the handler). */
  validParams(route: FuzzRoute): Record<string, string> | Promise<Record<string, string>>;
  /** Sends one request as a caller allowed on the route. */
  send(route: FuzzRoute, request: FuzzRequest): Promise<FuzzResponse>;
  /** A fingerprint of every row the requests could write: equal before and after a refused request. */
  snapshot(): Promise<string>;
}

export interface FuzzReport {
  problems: string[];
  /** Requests sent, and how many of them were refused with a 4xx (so a test can see the fuzzer got through). */
  sent: number;
  refused: number;
  /** Statuses seen per route key (for a failure message or a sanity check). */
  statuses: Map<string, Set<number>>;
}

/**
 * Fuzzes every route: no 5xx, every 4xx in the one error wire shape naming the problem, nothing
 * written for a refused request, Object.prototype never polluted. Requests within a route run one
 * after another (the snapshot taken after one is the one before the next).
 */
export async function fuzzService(options: FuzzServiceOptions): Promise<FuzzReport> {
  const report: FuzzReport = { problems: [], sent: 0, refused: 0, statuses: new Map() };
  for (const [index, route] of options.routes.entries()) {
    const validParams = await options.validParams(route);
    const malformed = malformedRequests(route.route, validParams, index);
    const generated = generatedRequests(route.route, {
      validParams,
      seed: options.seed + index,
      count: options.generatedPerRoute,
      pinned: options.pinned,
    });
    const statuses = new Set<number>();
    report.statuses.set(route.key, statuses);
    let before = await options.snapshot();
    for (const fuzzRequest of [...malformed, ...generated]) {
      const where = `${route.key} (${route.route.method} ${route.route.path}), ${fuzzRequest.label} request ${describe(fuzzRequest)}`;
      let response: FuzzResponse;
      try {
        response = await options.send(route, fuzzRequest);
      } catch (error) {
        report.problems.push(`${where}: the request failed: ${String(error)}`);
        continue;
      }
      report.sent += 1;
      statuses.add(response.status);
      const after = await options.snapshot();
      if (response.status >= 500) report.problems.push(`${where}: answered ${response.status} ${JSON.stringify(response.body)}`);
      else if (response.status >= 400) {
        report.refused += 1;
        const problems = wireErrorProblems(response, options.statusByCode);
        if (problems.length > 0)
          report.problems.push(`${where}: ${response.status} ${JSON.stringify(response.body)}: ${problems.join('; ')}`);
        if (after !== before) report.problems.push(`${where}: refused with ${response.status} but rows were written`);
      }
      if (Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')) {
        report.problems.push(`${where}: Object.prototype was polluted`);
        delete (Object.prototype as Record<string, unknown>).polluted;
      }
      before = after;
    }
  }
  return report;
}

function describe(fuzzRequest: FuzzRequest): string {
  const body =
    fuzzRequest.body === undefined
      ? ''
      : 'json' in fuzzRequest.body
        ? ` ${JSON.stringify(fuzzRequest.body.json)}`
        : ` (${fuzzRequest.body.contentType}) ${fuzzRequest.body.raw}`;
  const text = `${fuzzRequest.path}${fuzzRequest.rawQuery ? `?${fuzzRequest.rawQuery}` : ''}${body}`;
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
