import { isDeepStrictEqual } from 'node:util';
import { stringify } from 'yaml';
import { asObject, HTTP_METHODS, type Json } from './operations.js';
import { PipelineError, toPointer, type Problem } from './pipeline-error.js';

export interface Fragment {
  file: string;
  spec: Record<string, unknown>;
}

const API_WIDE_FIELDS = ['openapi', 'info', 'servers', 'security'] as const;

/** The distinct values one pointer has across fragments, each with the files that hold it. */
type Variants = { value: unknown; files: string[] }[];

/**
 * Merges the converted fragments of one API into one OpenAPI 3 document. Fragments are taken
 * in file-name order so that the output never depends on directory listing order. The same
 * definition in two fragments is fine (crawled fragments repeat their shared models); two
 * different definitions under one name is an error, never a silent last-one-wins. Every
 * conflict is reported at once, each blamed on the fragments that disagree with the version
 * most fragments share (see {@link conflicts}).
 */
export function mergeFragments(fragments: readonly Fragment[]): Json {
  const sorted = [...fragments].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (sorted.length === 0) {
    throw new PipelineError({
      file: '(none)',
      reason: 'no fragments to merge',
      hint: 'add a *.swagger.yaml fragment',
    });
  }
  const seen = new Map<string, Variants>();
  const note = (pointer: string, value: unknown, file: string): void => {
    const variants = seen.get(pointer) ?? [];
    const same = variants.find((v) => isDeepStrictEqual(v.value, value));
    if (same) same.files.push(file);
    else variants.push({ value, files: [file] });
    seen.set(pointer, variants);
  };
  const merged: Json = {};
  const operationIds = new Map<string, string>();
  const problems: Problem[] = [];
  for (const { file, spec } of sorted) {
    for (const field of API_WIDE_FIELDS) {
      note(toPointer([field]), spec[field], file);
      if (spec[field] !== undefined) merged[field] ??= spec[field];
    }
    for (const [path, item] of Object.entries(asObject(spec.paths))) {
      for (const [method, operation] of Object.entries(asObject(item))) {
        const pointer = toPointer(['paths', path, method]);
        note(pointer, operation, file);
        if (HTTP_METHODS.includes(method))
          problems.push(...claimOperationId(operation, file, pointer, operationIds));
        (asObject((merged.paths ??= {})) as Json)[path] ??= {};
        asObject(asObject(merged.paths)[path])[method] ??= operation;
      }
    }
    for (const [kind, entries] of Object.entries(asObject(spec.components))) {
      for (const [name, definition] of Object.entries(asObject(entries))) {
        note(toPointer(['components', kind, name]), definition, file);
        const target = asObject((asObject((merged.components ??= {}))[kind] ??= {}));
        target[name] ??= definition;
      }
    }
  }
  merged.paths ??= {};
  merged.components ??= {};
  problems.unshift(...conflicts(seen));
  const [first] = problems;
  if (first) {
    throw new PipelineError({
      file: first.source ?? sorted[0]!.file,
      pointer: first.pointer,
      reason:
        problems.length === 1 ? first.reason : `${problems.length} conflicts between fragments`,
      hint: 'make the fragments agree through their overlays (API-wide fields belong in api.overlay.yaml)',
      problems: problems.length === 1 ? [] : problems,
    });
  }
  return merged;
}

/**
 * One problem per fragment that disagrees: the version most fragments hold is taken as the
 * shared one (on a tie, the first fragment's), and every other version is blamed on its files,
 * with a short diff against the shared version.
 */
function conflicts(seen: Map<string, Variants>): Problem[] {
  const problems: Problem[] = [];
  for (const [pointer, variants] of seen) {
    if (variants.length < 2) continue;
    const shared = variants.reduce((a, b) => (b.files.length > a.files.length ? b : a));
    for (const odd of variants) {
      if (odd === shared) continue;
      for (const file of odd.files) {
        problems.push({
          pointer,
          source: file,
          reason:
            `${file} defines ${pointer} differently from ${shared.files.join(', ')}:\n` +
            shortDiff(shared.value, odd.value),
        });
      }
    }
  }
  return problems;
}

/** A few lines of `- shared` / `+ this fragment`, enough to see what differs. */
function shortDiff(shared: unknown, odd: unknown, maxLines = 8): string {
  const lines = (v: unknown): string[] =>
    v === undefined ? ['(absent)'] : stringify(v, { lineWidth: 0 }).trimEnd().split('\n');
  const a = lines(shared);
  const b = lines(odd);
  const diff = [
    ...a.filter((l) => !b.includes(l)).map((l) => `      - ${l}`),
    ...b.filter((l) => !a.includes(l)).map((l) => `      + ${l}`),
  ];
  const more = diff.length - maxLines;
  return diff.slice(0, maxLines).join('\n') + (more > 0 ? `\n      ... ${more} more lines` : '');
}

function claimOperationId(
  operation: unknown,
  file: string,
  pointer: string,
  ids: Map<string, string>,
): Problem[] {
  const id = asObject(operation).operationId;
  if (typeof id !== 'string') return [];
  const owner = ids.get(id);
  ids.set(id, owner ?? pointer);
  if (owner === undefined || owner === pointer) return [];
  return [
    {
      pointer: `${pointer}/operationId`,
      source: file,
      reason: `operationId "${id}" is already used by ${owner}`,
    },
  ];
}
