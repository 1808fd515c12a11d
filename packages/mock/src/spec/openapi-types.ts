/**
 * A JSON Schema object as OpenAPI 3.0 writes it.
 *
 * @example
 * ```ts
 * const schema: JsonSchema = { type: 'string', pattern: '^[0-9]+$' };
 * ```
 */
export type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

export interface OpenApiMediaType {
  schema?: JsonSchema;
  example?: unknown;
}

export interface OpenApiResponse {
  description?: string;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiOperation {
  operationId?: string;
  parameters?: (OpenApiParameter | { $ref: string })[];
  requestBody?:
    { required?: boolean; content?: Record<string, OpenApiMediaType> } | { $ref: string };
  responses?: Record<string, OpenApiResponse | { $ref: string }>;
  security?: Record<string, string[]>[];
}

/**
 * An OpenAPI 3.0 document, typed as far as the mock reads it.
 *
 * @example
 * ```ts
 * const spec: OpenApiDocument = structuredClone(DX_CORE_SPEC);
 * await startDxMock({ spec });
 * ```
 */
export interface OpenApiDocument {
  /** `3.0.x` */
  openapi: string;
  /** Title, version, description. */
  info?: Record<string, unknown>;
  /** The first one is the real API's base URL (and `createDxClient`'s default). */
  servers?: { url: string }[];
  /** Default security requirements of the operations. */
  security?: Record<string, string[]>[];
  /** Path templates to path items (operations by lower-case method, shared `parameters`). */
  paths: Record<string, Record<string, unknown>>;
  /** `schemas`, `parameters`, `securitySchemes`, ...; `$ref`s point here. */
  components?: Record<string, Record<string, unknown> | undefined>;
  /** `tags`, `externalDocs`, `x-…` extensions: not read by the mock. */
  [other: string]: unknown;
}
