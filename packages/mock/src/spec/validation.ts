/**
 * Request validation against the spec with ajv: path, query and header parameters (coerced
 * from text as their schemas say), the request body's media type and schema. Every schema
 * comes from the document; this file only says where to find them and how to word a failure.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonSchema, OpenApiDocument, OpenApiParameter } from './openapi-types.js';
import type { SpecOperation } from './spec.js';

const SPEC_ID = 'https://dx-mock.invalid/openapi.json';

/** Why a request was refused: the status and the `ErrorResponse` fields to answer with. */
export interface RequestProblem {
  status: number;
  code: string;
  message: string;
  /** Where the problem is, e.g. `requestBody.payloadHex` or `query.confirmDownlink`. */
  field?: string;
}

export interface ValidRequest {
  pathParams: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface RawRequest {
  pathValues: string[];
  query: URLSearchParams;
  headers: Record<string, string>;
  bodyText: string;
}

export type Validation = { ok: true; value: ValidRequest } | { ok: false; problem: RequestProblem };

type Location = 'path' | 'query' | 'header';

/** Points every local `$ref` at the copy of the document registered with ajv. */
function absoluteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(absoluteRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      key === '$ref' && typeof v === 'string' && v.startsWith('#/')
        ? `${SPEC_ID}${v}`
        : absoluteRefs(v),
    ]),
  );
}

function newAjv(doc: OpenApiDocument, coerceTypes: boolean): Ajv {
  // strict: false because OpenAPI 3.0 schemas carry keywords JSON Schema does not know
  // (`example`, `xml`, ...); they are annotations, and ajv then ignores them.
  const ajv = new Ajv({ strict: false, logger: false, allErrors: false, coerceTypes });
  ajv.addSchema({ $id: SPEC_ID, components: absoluteRefs(doc.components ?? {}) });
  return ajv;
}

export function mediaTypeOf(headers: Record<string, string>): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function isJson(media: string): boolean {
  return media === 'application/json' || media.endsWith('+json');
}

/** `/securityParams/asKey` → `securityParams.asKey`, with the missing or extra property named. */
function fieldOf(prefix: string, error: ErrorObject): string {
  const parts = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const extra = params.missingProperty ?? params.additionalProperty;
  if (extra !== undefined) parts.push(extra);
  return [prefix, ...parts].join('.');
}

function problemOf(prefix: string, error: ErrorObject | undefined): RequestProblem {
  if (!error) return { status: 400, code: 'invalid_request', message: `${prefix} is invalid` };
  const field = fieldOf(prefix, error);
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'required') message = 'is required';
  if (error.keyword === 'additionalProperties') message = 'is not allowed';
  // Values are not echoed: a body field may be a secret (securityParams.asKey).
  return { status: 400, code: 'invalid_request', message: `${field} ${message}`, field };
}

function parametersSchema(parameters: OpenApiParameter[]): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [p.name, absoluteRefs(p.schema ?? {})])),
    required: parameters.filter((p) => p.required || p.in === 'path').map((p) => p.name),
  };
}

function isArraySchema(schema: JsonSchema | undefined): boolean {
  return schema?.['type'] === 'array';
}

function parseBody(media: string, text: string): { ok: true; value: unknown } | { ok: false } {
  if (isJson(media)) {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false };
    }
  }
  if (media === 'application/x-www-form-urlencoded') {
    return { ok: true, value: Object.fromEntries(new URLSearchParams(text)) };
  }
  return { ok: true, value: text };
}

/**
 * Returns a function that builds one validator per operation, compiling every schema once, up
 * front. Parameters arrive as text, so their ajv instance coerces (`"true"` → `true`); bodies
 * are JSON and are checked as they are.
 */
export function validatorFactory(
  doc: OpenApiDocument,
): (operation: SpecOperation) => (request: RawRequest) => Validation {
  const paramsAjv = newAjv(doc, true);
  const bodyAjv = newAjv(doc, false);
  return (operation) => validatorFor(paramsAjv, bodyAjv, operation);
}

/** A 400 refusal naming the field to blame. */
type Refusal = Extract<Validation, { ok: false }>;

function refused(field: string, message: string, code = 'invalid_request'): Refusal {
  return { ok: false, problem: { status: 400, code, message, field } };
}

type Values = Record<Location, Record<string, unknown>>;

/** Path parameters percent-decoded, by name. */
function pathValues(names: string[], raw: string[], values: Values): Refusal | undefined {
  for (const [i, name] of names.entries()) {
    try {
      values.path[name] = decodeURIComponent(raw[i] ?? '');
    } catch {
      return refused(`path.${name}`, `path.${name} is not valid percent-encoding`);
    }
  }
  return undefined;
}

/** Query parameters as text, an array for an array schema; a scalar given twice is refused. */
function queryValues(
  parameters: OpenApiParameter[],
  query: URLSearchParams,
  values: Values,
): Refusal | undefined {
  for (const p of parameters) {
    const all = query.getAll(p.name);
    if (all.length > 1 && !isArraySchema(p.schema)) {
      // Taking the first (or the last) would hide a client that sends two contradicting
      // values; a scalar given twice is a malformed request.
      const field = `query.${p.name}`;
      return refused(field, `${field} is given ${all.length} times; give it once`);
    }
    if (all.length > 0) values.query[p.name] = isArraySchema(p.schema) ? all : all[0];
  }
  return undefined;
}

function headerValues(
  parameters: OpenApiParameter[],
  headers: Record<string, string>,
  values: Values,
): void {
  for (const p of parameters) {
    const value = headers[p.name.toLowerCase()];
    if (value !== undefined) values.header[p.name] = value;
  }
}

/** The request body parsed and checked by its media type; `undefined` when absent. */
function bodyValue(
  requestBody: NonNullable<SpecOperation['requestBody']>,
  bodies: Map<string, ValidateFunction>,
  request: RawRequest,
): Refusal | { ok: true; body: unknown } {
  if (request.bodyText === '') {
    if (requestBody.required) return refused('requestBody', 'requestBody is required');
    return { ok: true, body: undefined };
  }
  const media = mediaTypeOf(request.headers);
  const validate = bodies.get(media) ?? bodies.get('*/*');
  if (!validate) {
    const accepted = [...bodies.keys()].join(', ');
    // 400, not 415: the spec declares no 415, and the mock answers only what DX documents
    // (the `code` still says what is wrong).
    const message = `Content-Type ${media || '(none)'} is not accepted here; send ${accepted}`;
    return refused('header.content-type', message, 'unsupported_media_type');
  }
  const parsed = parseBody(media, request.bodyText);
  if (!parsed.ok) return refused('requestBody', 'requestBody is not valid JSON');
  if (!validate(parsed.value)) {
    return { ok: false, problem: problemOf('requestBody', validate.errors?.[0]) };
  }
  return { ok: true, body: parsed.value };
}

function validatorFor(
  paramsAjv: Ajv,
  bodyAjv: Ajv,
  operation: SpecOperation,
): (request: RawRequest) => Validation {
  const byLocation = (location: Location): OpenApiParameter[] =>
    operation.parameters.filter((p) => p.in === location);
  const checks = (['path', 'query', 'header'] as const).map((location) => ({
    location,
    validate: paramsAjv.compile(parametersSchema(byLocation(location))),
  }));
  const bodies = new Map<string, ValidateFunction>();
  for (const [media, { schema }] of Object.entries(operation.requestBody?.content ?? {})) {
    bodies.set(media, bodyAjv.compile(schema ? (absoluteRefs(schema) as JsonSchema) : {}));
  }
  const queryParameters = byLocation('query');
  const headerParameters = byLocation('header');

  return (request) => {
    const values: Values = { path: {}, query: {}, header: {} };
    const early =
      pathValues(operation.pathParamNames, request.pathValues, values) ??
      queryValues(queryParameters, request.query, values);
    if (early) return early;
    headerValues(headerParameters, request.headers, values);
    for (const { location, validate } of checks) {
      if (!validate(values[location])) {
        return { ok: false, problem: problemOf(location, validate.errors?.[0]) };
      }
    }
    const body = operation.requestBody
      ? bodyValue(operation.requestBody, bodies, request)
      : { ok: true as const, body: undefined };
    if (!body.ok) return body;
    return { ok: true, value: { pathParams: values.path, query: values.query, body: body.body } };
  };
}
