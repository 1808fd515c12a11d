import { isDeepStrictEqual } from 'node:util';
import { fromPointer, PipelineError, toPointer, type Problem } from './pipeline-error.js';
import type { Locate } from './validate.js';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** A method name a person types: `listDevices`, not a crawled 100-character slug. */
export const OPERATION_ID = /^[a-z][A-Za-z0-9]{0,47}$/;
/** Where the client's request runtime lives: what it does not do, no operation may need. */
const RUNTIME = 'packages/core-client/src/runtime/request.ts';

export type Json = Record<string, unknown>;

/** A mapping, or `{}` for anything else (a crawled fragment's `paths:` may be empty or odd). */
export function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

export interface OperationAt {
  path: string;
  /** Lower case, as in the document. */
  method: string;
  pathItem: Json;
  value: Json;
  /** `/paths/<path>/<method>`. */
  pointer: string;
}

/** Every operation of a Swagger 2.0 or OpenAPI 3 document, in document order. */
export function operationsOf(spec: Json): OperationAt[] {
  return Object.entries(asObject(spec.paths)).flatMap(([path, item]) =>
    Object.entries(asObject(item))
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, value]) => ({
        path,
        method,
        pathItem: asObject(item),
        value: asObject(value),
        pointer: toPointer(['paths', path, method]),
      })),
  );
}

/**
 * What the generator and the request runtime need of every operation and a schema validator
 * does not check, on the patched Swagger 2.0 fragment; every finding is reported at once.
 *
 * - The generator: exactly one tag (openapi-typescript-codegen writes an operation into one
 *   service per tag, so three tags make three copies) and a short camelCase operationId (it
 *   becomes the method name).
 * - The runtime: it sends JSON bodies only and the bearer token on every call, so an operation
 *   with a `formData` parameter or a security of its own (`security: []`, another scheme) would
 *   be called wrongly without a word. Refused until the runtime is taught them.
 */
export function checkOperations(spec: Json, file: string, locate?: Locate): void {
  const problems = operationsOf(spec).flatMap((op) => [
    ...generatorNeeds(op.value, op.pointer),
    ...runtimeNeeds(spec, op),
  ]);
  if (problems.length === 0) return;
  const located = problems.map((p) => ({ ...p, source: locate?.(p.pointer) }));
  const runtime = problems.some((p) => p.reason.includes(RUNTIME));
  throw new PipelineError({
    file,
    pointer: located[0]!.pointer,
    reason: `operations not ready for the generator${runtime ? ' and the request runtime' : ''} (${located.length} finding${located.length === 1 ? '' : 's'})`,
    hint:
      'set one tag and a short operationId for each in the fragment overlay' +
      (runtime
        ? `; remove an operation the runtime cannot call, or teach ${RUNTIME} first and then lift the check in scripts/pipeline/operations.ts`
        : ''),
    problems: located,
  });
}

function generatorNeeds(operation: Json, pointer: string): Problem[] {
  const problems: Problem[] = [];
  const tags = operation.tags;
  if (!Array.isArray(tags) || tags.length !== 1) {
    const found = Array.isArray(tags) ? `${tags.length} (${tags.join(', ')})` : 'none';
    problems.push({ pointer: `${pointer}/tags`, reason: `needs exactly one tag, has ${found}` });
  }
  const id = operation.operationId;
  if (typeof id !== 'string' || !OPERATION_ID.test(id)) {
    problems.push({
      pointer: `${pointer}/operationId`,
      reason: `needs a camelCase operationId of at most 48 characters, has ${JSON.stringify(id ?? null).slice(0, 60)}`,
    });
  }
  return problems;
}

/**
 * What the request runtime cannot do for an operation: send its `formData` parameters (its own
 * and its path's, `$ref`s resolved) or honour a security of its own. The pipeline refuses these;
 * the overlay proposal lists them for review.
 */
export function runtimeGaps(
  spec: Json,
  op: OperationAt,
): { formData: { name: string; pointer: string }[]; ownSecurity: boolean } {
  const lists: [unknown, string][] = [
    [op.pathItem.parameters, toPointer(['paths', op.path, 'parameters'])],
    [op.value.parameters, `${op.pointer}/parameters`],
  ];
  const formData = lists.flatMap(([list, at]) =>
    (Array.isArray(list) ? list : []).flatMap((value, index) => {
      const parameter = resolveParameter(spec, value);
      if (parameter.in !== 'formData') return [];
      return [{ name: String(parameter.name), pointer: `${at}/${index}` }];
    }),
  );
  const ownSecurity =
    op.value.security !== undefined && !isDeepStrictEqual(op.value.security, spec.security);
  return { formData, ownSecurity };
}

function runtimeNeeds(spec: Json, op: OperationAt): Problem[] {
  const label = `${op.method.toUpperCase()} ${op.path}`;
  const gaps = runtimeGaps(spec, op);
  const problems: Problem[] = gaps.formData.map(({ name, pointer }) => ({
    pointer,
    reason: `${label} has the formData parameter "${name}", but the request runtime does not honour formData yet (it sends JSON bodies only; teach ${RUNTIME})`,
  }));
  if (gaps.ownSecurity) {
    problems.push({
      pointer: `${op.pointer}/security`,
      reason: `${label} has its own security ${JSON.stringify(op.value.security)} (the API's is ${JSON.stringify(spec.security ?? null)}), but the request runtime does not honour it yet (it sends the bearer token on every call; teach ${RUNTIME})`,
    });
  }
  return problems;
}

/** A parameter, or the `#/parameters/...` one a `$ref` names. */
function resolveParameter(spec: Json, value: unknown): Json {
  const parameter = (typeof value === 'object' && value !== null ? value : {}) as Json;
  const ref = parameter.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/parameters/')) return parameter;
  const name = fromPointer(ref.slice(1))[1] ?? '';
  const shared = ((spec.parameters ?? {}) as Json)[name];
  return (typeof shared === 'object' && shared !== null ? shared : {}) as Json;
}
