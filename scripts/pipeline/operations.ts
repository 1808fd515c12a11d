import { PipelineError, toPointer, type Problem } from './pipeline-error.js';
import type { Locate } from './validate.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** A method name a person types: `listDevices`, not a crawled 100-character slug. */
const OPERATION_ID = /^[a-z][A-Za-z0-9]{0,47}$/;

/**
 * What the generator needs of every operation and a schema validator does not check: exactly one
 * tag (openapi-typescript-codegen writes an operation into one service per tag, so three tags
 * make three copies) and a short camelCase operationId (it becomes the method name). Runs on
 * the patched Swagger 2.0 fragment; every finding is reported at once.
 */
export function checkOperations(
  spec: Record<string, unknown>,
  file: string,
  locate?: Locate,
): void {
  const problems: Problem[] = [];
  const paths = (spec.paths ?? {}) as Record<string, Record<string, unknown>>;
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, value] of Object.entries(item ?? {})) {
      if (!HTTP_METHODS.includes(method)) continue;
      const operation = (value ?? {}) as { tags?: unknown; operationId?: unknown };
      const pointer = toPointer(['paths', path, method]);
      const tags = operation.tags;
      if (!Array.isArray(tags) || tags.length !== 1) {
        const found = Array.isArray(tags) ? `${tags.length} (${tags.join(', ')})` : 'none';
        problems.push({
          pointer: `${pointer}/tags`,
          reason: `needs exactly one tag, has ${found}`,
        });
      }
      const id = operation.operationId;
      if (typeof id !== 'string' || !OPERATION_ID.test(id)) {
        problems.push({
          pointer: `${pointer}/operationId`,
          reason: `needs a camelCase operationId of at most 48 characters, has ${JSON.stringify(id ?? null).slice(0, 60)}`,
        });
      }
    }
  }
  if (problems.length === 0) return;
  const located = problems.map((p) => ({ ...p, source: locate?.(p.pointer) }));
  throw new PipelineError({
    file,
    pointer: located[0]!.pointer,
    reason: `operations not ready for the generator (${located.length} finding${located.length === 1 ? '' : 's'})`,
    hint: 'set one tag and a short operationId for each in the fragment overlay',
    problems: located,
  });
}
