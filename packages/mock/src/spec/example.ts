/**
 * A default answer built from a response schema, for operations nobody wrote a handler for:
 * the schema's or media type's `example` when there is one, otherwise a value of the right
 * shape (first enum value, `default`, each property in turn).
 */
import type { JsonSchema, OpenApiDocument } from './openapi-types.js';
import { deref } from './spec.js';

const MAX_DEPTH = 8;

export function exampleOf(doc: OpenApiDocument, input: JsonSchema | undefined, depth = 0): unknown {
  if (!input || depth > MAX_DEPTH) return undefined;
  const schema = deref<JsonSchema>(doc, input);
  if ('example' in schema) return schema['example'];
  if ('default' in schema) return schema['default'];
  if (Array.isArray(schema['enum'])) return schema['enum'][0];
  const allOf = schema['allOf'] as JsonSchema[] | undefined;
  if (allOf) return Object.assign({}, ...allOf.map((s) => exampleOf(doc, s, depth + 1)));
  const alternatives = (schema['oneOf'] ?? schema['anyOf']) as JsonSchema[] | undefined;
  if (alternatives) return exampleOf(doc, alternatives[0], depth + 1);
  const properties = schema['properties'] as Record<string, JsonSchema> | undefined;
  const type = schema['type'] ?? (properties ? 'object' : undefined);
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(properties ?? {})
          .map(([name, s]) => [name, exampleOf(doc, s, depth + 1)])
          .filter(([, value]) => value !== undefined),
      );
    case 'array':
      return [exampleOf(doc, schema['items'] as JsonSchema | undefined, depth + 1)].filter(
        (v) => v !== undefined,
      );
    case 'string':
      return schema['format'] === 'date-time' ? '2026-01-01T00:00:00.000Z' : 'string';
    case 'integer':
    case 'number':
      return typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
    case 'boolean':
      return true;
    default:
      return undefined;
  }
}
