/**
 * The operations of an OpenAPI document, ready to route: method, path template as a regular
 * expression, parameters (path-level ones merged in, `$ref`s resolved), security. Nothing here
 * knows a DX operation by name: a new operation in the spec is routed without a code change.
 */
import type {
  OpenApiDocument,
  OpenApiMediaType,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiResponse,
} from './openapi-types.js';
import { DX_CORE_SPEC } from './spec.gen.js';
import { check, type Rule } from '../checks.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export interface SpecOperation {
  operationId: string;
  /** Upper case, e.g. `POST`. */
  method: string;
  /** As written in the spec, e.g. `/devices/{device}/downlinkMessages`. */
  template: string;
  pattern: RegExp;
  pathParamNames: string[];
  parameters: OpenApiParameter[];
  requestBody: { required: boolean; content: Record<string, OpenApiMediaType> } | undefined;
  responses: Record<string, OpenApiResponse>;
  /** The operation needs a bearer token (an OAuth2 requirement applies to it). */
  secured: boolean;
}

/** Follows a local `$ref` (`#/components/...`) once; anything else is returned as is. */
export function deref<T>(doc: OpenApiDocument, value: T | { $ref: string }): T {
  const ref = (value as { $ref?: unknown } | undefined)?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return value as T;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  if (node === undefined) throw new Error(`the spec has no ${ref}`);
  return node as T;
}

function templatePattern(template: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('');
  return { pattern: new RegExp(`^${source}$`), names };
}

function isSecured(requirements: Record<string, string[]>[] | undefined): boolean {
  // `security: []` or a requirement `{}` among the alternatives makes the token optional.
  if (!requirements || requirements.length === 0) return false;
  return requirements.every((r) => Object.keys(r).length > 0);
}

export function operationsOf(doc: OpenApiDocument): SpecOperation[] {
  const operations: SpecOperation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const shared = ((item['parameters'] ?? []) as OpenApiOperation['parameters']) ?? [];
    const { pattern, names } = templatePattern(template);
    for (const method of METHODS) {
      const operation = item[method] as OpenApiOperation | undefined;
      if (!operation) continue;
      const own = (operation.parameters ?? []).map((p) => deref<OpenApiParameter>(doc, p));
      const inherited = shared
        .map((p) => deref<OpenApiParameter>(doc, p))
        .filter((p) => !own.some((o) => o.name === p.name && o.in === p.in));
      const body = operation.requestBody && deref(doc, operation.requestBody);
      operations.push({
        operationId: operation.operationId ?? `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        pattern,
        pathParamNames: names,
        parameters: [...inherited, ...own],
        requestBody: body && { required: body.required === true, content: body.content ?? {} },
        responses: Object.fromEntries(
          Object.entries(operation.responses ?? {}).map(([status, r]) => [
            status,
            deref<OpenApiResponse>(doc, r),
          ]),
        ),
        secured: isSecured(operation.security ?? doc.security),
      });
    }
  }
  return operations;
}

const openApi30: Rule<OpenApiDocument> = {
  test(doc): doc is OpenApiDocument {
    const { paths, openapi } = (doc ?? {}) as Partial<OpenApiDocument>;
    return typeof paths === 'object' && paths !== null && /^3\.0\./.test(String(openapi));
  },
  must: 'an OpenAPI 3.0 document with paths',
};

/** The document to serve: `options.spec`, checked, or the DX Core spec the package ships. */
export function specOf(options: { spec?: OpenApiDocument }): OpenApiDocument {
  return check('options.spec', options.spec ?? DX_CORE_SPEC, openApi30);
}

/** The first `servers` URL: where the real API lives, and the client's default base URL. */
export function serverUrlOf(doc: OpenApiDocument): string {
  const url = doc.servers?.[0]?.url;
  if (!url) throw new Error('the spec names no server URL');
  return url;
}

/** The token URL of the first OAuth2 client-credentials security scheme. */
export function tokenUrlOf(doc: OpenApiDocument): string {
  for (const scheme of Object.values(doc.components?.['securitySchemes'] ?? {})) {
    const flows = (scheme as { flows?: { clientCredentials?: { tokenUrl?: string } } }).flows;
    const url = flows?.clientCredentials?.tokenUrl;
    if (url) return url;
  }
  throw new Error('the spec names no OAuth2 client-credentials token URL');
}
