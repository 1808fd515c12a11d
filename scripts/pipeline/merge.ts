import { isDeepStrictEqual } from 'node:util';
import { PipelineError, toPointer } from './pipeline-error.js';

export interface Fragment {
  file: string;
  spec: Record<string, unknown>;
}

type Json = Record<string, unknown>;

const API_WIDE_FIELDS = ['openapi', 'info', 'servers', 'security'] as const;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null ? (value as Json) : {};
}

/**
 * Merges the converted fragments of one API into one OpenAPI 3 document. Fragments are taken
 * in file-name order so that the output never depends on directory listing order. The same
 * definition in two fragments is fine (crawled fragments repeat their shared models); two
 * different definitions under one name is an error, never a silent last-one-wins.
 */
export function mergeFragments(fragments: readonly Fragment[]): Json {
  const sorted = [...fragments].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const [first] = sorted;
  if (!first) {
    throw new PipelineError({
      file: '(none)',
      reason: 'no fragments to merge',
      hint: 'add a *.swagger.yaml fragment',
    });
  }
  const merged: Json = {};
  for (const field of API_WIDE_FIELDS) {
    if (first.spec[field] !== undefined) merged[field] = first.spec[field];
  }
  merged.paths = {};
  merged.components = {};
  const operationIds = new Map<string, string>();
  for (const fragment of sorted) {
    checkApiWideFields(first, fragment);
    mergePaths(asObject(merged.paths), fragment, operationIds);
    mergeComponents(asObject(merged.components), fragment);
  }
  return merged;
}

function checkApiWideFields(first: Fragment, fragment: Fragment): void {
  for (const field of API_WIDE_FIELDS) {
    if (isDeepStrictEqual(first.spec[field], fragment.spec[field])) continue;
    throw new PipelineError({
      file: fragment.file,
      pointer: toPointer([field]),
      reason: `${field} differs from ${first.file}; fragments of one API must agree on it`,
      hint: `set the same ${field} in both overlays`,
    });
  }
}

function mergePaths(target: Json, fragment: Fragment, operationIds: Map<string, string>): void {
  for (const [path, item] of Object.entries(asObject(fragment.spec.paths))) {
    const existing = asObject((target[path] ??= {}));
    for (const [method, operation] of Object.entries(asObject(item))) {
      const pointer = toPointer(['paths', path, method]);
      if (HTTP_METHODS.includes(method))
        claimOperationId(operation, fragment.file, pointer, operationIds);
      if (existing[method] === undefined) {
        existing[method] = operation;
        continue;
      }
      if (isDeepStrictEqual(existing[method], operation)) continue;
      throw new PipelineError({
        file: fragment.file,
        pointer,
        reason: `${method.toUpperCase()} ${path} is already defined differently by another fragment`,
        hint: 'make the two fragments agree through their overlays, or drop the duplicate',
      });
    }
  }
}

function claimOperationId(
  operation: unknown,
  file: string,
  pointer: string,
  ids: Map<string, string>,
): void {
  const id = asObject(operation).operationId;
  if (typeof id !== 'string') return;
  const owner = ids.get(id);
  if (owner !== undefined && owner !== pointer) {
    throw new PipelineError({
      file,
      pointer: `${pointer}/operationId`,
      reason: `operationId "${id}" is already used by ${owner}`,
      hint: 'give the operation a unique operationId in its overlay',
    });
  }
  ids.set(id, pointer);
}

function mergeComponents(target: Json, fragment: Fragment): void {
  for (const [kind, entries] of Object.entries(asObject(fragment.spec.components))) {
    const existing = asObject((target[kind] ??= {}));
    for (const [name, definition] of Object.entries(asObject(entries))) {
      if (existing[name] === undefined) {
        existing[name] = definition;
        continue;
      }
      if (isDeepStrictEqual(existing[name], definition)) continue;
      throw new PipelineError({
        file: fragment.file,
        pointer: toPointer(['components', kind, name]),
        reason: `components/${kind}/${name} is already defined differently by another fragment`,
        hint: 'make the definitions identical in both overlays, or rename one',
      });
    }
  }
}
