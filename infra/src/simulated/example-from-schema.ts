/**
 * Builds a value that satisfies a JSON schema (the subset OpenAI's strict structured outputs use:
 * object, array, string, number, integer, boolean, enum, anyOf, nullable types), so the simulated
 * model can answer any structured-output request the services make with well-formed data.
 * `textFor` supplies strings by property name, so summaries read like summaries.
 */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
  $defs?: Record<string, JsonSchema>;
};

export function exampleFromSchema(
  schema: JsonSchema,
  textFor: (propertyName: string) => string,
  propertyName = '',
  root: JsonSchema = schema,
): unknown {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    const target = root.$defs?.[name] ?? root.definitions?.[name];
    return target ? exampleFromSchema(target, textFor, propertyName, root) : null;
  }
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  // A nullable field is a fact the caller may not have given: the simulated model, which knows
  // nothing, leaves it null rather than inventing a value that format checks would reject.
  if (schema.anyOf && schema.anyOf.length > 0) {
    if (schema.anyOf.some((option) => option.type === 'null')) return null;
    return exampleFromSchema(schema.anyOf[0]!, textFor, propertyName, root);
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 1 && types.includes('null')) return null;
  const type = types[0];
  switch (type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        result[key] = exampleFromSchema(property, textFor, key, root);
      }
      return result;
    }
    case 'array':
      return [];
    case 'string':
      return textFor(propertyName);
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? 0;
      const high = schema.maximum ?? 100;
      const middle = (low + high) / 2;
      return type === 'integer' ? Math.round(middle) : middle;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return null;
  }
}
