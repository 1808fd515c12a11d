import SwaggerParser from '@apidevtools/swagger-parser';
import { fromPointer, PipelineError, toPointer, type Problem } from './pipeline-error.js';

/** An ajv error as swagger-parser hands it on in `details`. */
interface Detail {
  message?: string;
  instancePath?: string;
  path?: (string | number)[];
  keyword?: string;
  params?: { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
}

/** Where a finding comes from, for a pointer of the validated document (see `source-lines.ts`). */
export type Locate = (pointer: string) => string | undefined;

const HINT = 'repair it with an action in the fragment overlay (never by editing the fragment)';

/**
 * Validates with swagger-parser, which checks the schema of the spec version and resolves every
 * `$ref`. It mutates and dereferences its input, so it gets a copy. Every finding is reported at
 * once: dangling references first (swagger-parser stops at the first), then every schema error.
 */
export async function validateSpec(
  spec: Record<string, unknown>,
  file: string,
  expected: '2.0' | '3.0',
  locate?: Locate,
): Promise<void> {
  const label = expected === '2.0' ? 'Swagger 2.0' : 'OpenAPI 3.0';
  checkVersion(spec, file, expected, label);
  const dangling = danglingRefs(spec).map(({ pointer, ref }) => ({
    pointer,
    reason: `${ref} does not exist`,
  }));
  if (dangling.length > 0) {
    throw failure(file, `${label} validation failed: unresolved $ref`, dangling, locate);
  }
  try {
    await SwaggerParser.validate(structuredClone(spec) as never);
  } catch (error) {
    const details = (error as { details?: Detail[] }).details;
    const message = error instanceof Error ? error.message : String(error);
    const problems = Array.isArray(details)
      ? distill(spec, details)
      : [{ pointer: '', reason: message.split('\n').slice(0, 3).join(' ') }];
    throw failure(file, `${label} validation failed`, problems, locate);
  }
}

function checkVersion(
  spec: Record<string, unknown>,
  file: string,
  expected: '2.0' | '3.0',
  label: string,
): void {
  const version = expected === '2.0' ? spec.swagger : spec.openapi;
  const ok =
    expected === '2.0'
      ? version === '2.0'
      : typeof version === 'string' && version.startsWith('3.0');
  if (ok) return;
  throw new PipelineError({
    file,
    pointer: expected === '2.0' ? '/swagger' : '/openapi',
    reason: `expected a ${label} document`,
    hint: 'check the stage order and the spec version field',
  });
}

function failure(
  file: string,
  what: string,
  problems: Problem[],
  locate: Locate | undefined,
): PipelineError {
  const located = problems.map((p) => ({ ...p, source: locate?.(p.pointer) }));
  const [first] = located;
  const count = located.length === 1 ? first!.reason : `${located.length} problems`;
  return new PipelineError({
    file,
    pointer: first?.pointer ?? '',
    reason: `${what}: ${count}`,
    hint: HINT,
    problems: located.length === 1 ? [] : located,
  });
}

/** Every local `$ref` below `node` whose target `spec` does not have, with the `$ref`'s pointer. */
export function danglingRefs(
  spec: unknown,
  node: unknown = spec,
  path: (string | number)[] = [],
): { pointer: string; ref: string }[] {
  if (typeof node !== 'object' || node === null) return [];
  const ref = (node as { $ref?: unknown }).$ref;
  const found =
    typeof ref === 'string' && ref.startsWith('#') && resolve(spec, ref.slice(1)) === undefined
      ? [{ pointer: toPointer([...path, '$ref']), ref }]
      : [];
  for (const [key, value] of Object.entries(node))
    found.push(...danglingRefs(spec, value, [...path, key]));
  return found;
}

function resolve(root: unknown, pointer: string): unknown {
  let node = root;
  for (const segment of fromPointer(pointer)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/**
 * ajv reports a value that fails a `oneOf` with the errors of every branch: a query parameter
 * without `type` also "must have required property 'schema'" (the body branch) and "'$ref'"
 * (the reference branch). A parameter's `in` says which branch was meant, so only that branch's
 * errors are kept; the "must match exactly one schema" summaries go once something more
 * specific is left (a parameter whose `in` is itself wrong keeps the summary, so nothing goes
 * unreported). Identical findings are reported once.
 */
function distill(spec: unknown, details: Detail[]): Problem[] {
  const byPointer = new Map<string, Detail[]>();
  for (const d of details) {
    const pointer = d.instancePath ?? (d.path ? toPointer(d.path) : '');
    byPointer.set(pointer, [...(byPointer.get(pointer) ?? []), d]);
  }
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const [pointer, group] of byPointer) {
    const node = resolve(spec, pointer);
    // The `in` of the parameter this pointer is, or whose `in` field it is.
    const parameter = pointer.endsWith('/in') ? resolve(spec, pointer.slice(0, -3)) : node;
    const location = (parameter as { in?: unknown } | undefined)?.in;
    const kept = group.filter((d) => !isNoise(d, pointer, location));
    const specific = kept.filter((d) => d.keyword !== 'oneOf' && d.keyword !== 'anyOf');
    for (const d of specific.length > 0 ? specific : kept.slice(0, 1)) {
      const reason = describe(d, node);
      const key = `${pointer} ${reason}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ pointer, reason });
    }
  }
  return problems;
}

function isNoise(d: Detail, pointer: string, location: unknown): boolean {
  if (typeof location !== 'string') return false;
  const missing = d.params?.missingProperty;
  if (d.keyword === 'enum' && pointer.endsWith('/in')) return true;
  if (d.keyword === 'required' && missing === '$ref') return true;
  if (d.keyword === 'required' && missing === 'schema') return location !== 'body';
  if (d.keyword === 'required' && missing === 'type') return location === 'body';
  if (d.keyword === 'required' && missing === 'required') return location !== 'path';
  // Each branch allows other fields (a body parameter no `type`, others no `schema`).
  return d.keyword === 'additionalProperties';
}

function describe(d: Detail, node: unknown): string {
  const parameter = node as { in?: unknown; name?: unknown } | undefined;
  const subject =
    typeof parameter?.in === 'string' && typeof parameter.name === 'string'
      ? `parameter "${parameter.name}" (in: ${parameter.in}) `
      : '';
  const missing = d.params?.missingProperty;
  if (d.keyword === 'required' && missing === 'type')
    return `${subject}has no type (Swagger 2.0 requires one on every non-body parameter)`;
  if (d.keyword === 'required' && missing === 'required')
    return `${subject}needs required: true (every path parameter is required)`;
  if (d.keyword === 'required' && missing) return `${subject}is missing "${missing}"`;
  if (d.keyword === 'additionalProperties' && d.params?.additionalProperty)
    return `${subject}has the unknown field "${d.params.additionalProperty}"`;
  return `${subject}${d.message ?? 'is invalid'}`;
}
