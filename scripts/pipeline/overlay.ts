import openapiFormat from 'openapi-format';
import { PipelineError, toPointer } from './pipeline-error.js';

type OverlayAction = { target: string; description: string; update?: unknown; remove?: true };

/**
 * Checks the overlay against OpenAPI Overlay 1.0 before applying it, because the library
 * applying it only logs malformed actions and carries on; here each is a hard error.
 */
function validateOverlay(overlay: Record<string, unknown>, file: string): OverlayAction[] {
  if (typeof overlay.overlay !== 'string' || !/^1\.0\.\d+$/.test(overlay.overlay)) {
    throw new PipelineError({
      file,
      pointer: '/overlay',
      reason: `expected an OpenAPI Overlay 1.0 document (overlay: 1.0.0), found ${JSON.stringify(overlay.overlay)}`,
      hint: 'start the file with "overlay: 1.0.0"',
    });
  }
  const actions = overlay.actions;
  if (!Array.isArray(actions) || actions.length === 0) {
    throw new PipelineError({
      file,
      pointer: '/actions',
      reason: 'no actions',
      hint: 'list the fixes under actions:',
    });
  }
  return actions.map((action: unknown, index) => validateAction(action, file, index));
}

function validateAction(action: unknown, file: string, index: number): OverlayAction {
  const pointer = toPointer(['actions', index]);
  const fail = (reason: string, hint: string): never => {
    throw new PipelineError({ file, pointer, reason, hint });
  };
  if (typeof action !== 'object' || action === null)
    return fail('action is not a mapping', 'give target, description and update or remove');
  const a = action as Record<string, unknown>;
  if (typeof a.target !== 'string' || !a.target.startsWith('$'))
    fail('target is not a JSONPath starting with "$"', 'set target to a JSONPath such as $.paths');
  if (typeof a.description !== 'string' || a.description.trim() === '')
    fail('action has no description', 'say why the fix is needed in description');
  const hasUpdate = 'update' in a;
  const hasRemove = a.remove === true;
  if (hasUpdate === hasRemove)
    fail('action needs exactly one of update or remove: true', 'split it into two actions');
  return a as OverlayAction;
}

/**
 * Applies an OpenAPI Overlay 1.0 with openapi-format (a maintained implementation, so that the
 * JSONPath semantics are the ones other Overlay tools share). An action whose target matches
 * nothing is an error: it means the upstream fragment changed under the fix.
 */
export async function applyOverlay(
  spec: Record<string, unknown>,
  overlay: Record<string, unknown>,
  overlayFile: string,
  fragmentFile?: string,
): Promise<Record<string, unknown>> {
  const { data, unused } = await applySharedOverlay(spec, overlay, overlayFile);
  const [index] = unused;
  if (index !== undefined)
    throw unmatchedTarget(overlay, overlayFile, index, { fragment: fragmentFile });
  return data;
}

/**
 * Applies an overlay that several fragments share (the folder's `api.overlay.yaml`): an action
 * whose target a fragment lacks (crawler metadata the fragment was fetched without) skips that
 * fragment, and its index is returned in `unused`. The caller checks, once every fragment has
 * been patched, that each action matched at least one ({@link unmatchedTarget}).
 */
export async function applySharedOverlay(
  spec: Record<string, unknown>,
  overlay: Record<string, unknown>,
  overlayFile: string,
): Promise<{ data: Record<string, unknown>; unused: number[] }> {
  validateOverlay(overlay, overlayFile);
  const result = await openapiFormat.openapiOverlay(structuredClone(spec), {
    overlaySet: overlay as Parameters<typeof openapiFormat.openapiOverlay>[1]['overlaySet'],
  });
  const actions = overlay.actions as unknown[];
  const unused = (result.resultData.unusedActions as unknown[]).map((a) => actions.indexOf(a));
  return { data: result.data as Record<string, unknown>, unused: unused.sort((a, b) => a - b) };
}

/** The error for an overlay action that matched nothing in `where` (a fragment, or all of them). */
export function unmatchedTarget(
  overlay: Record<string, unknown>,
  overlayFile: string,
  index: number,
  where: { fragment?: string | undefined } | { fragments: readonly string[] },
): PipelineError {
  const target = (overlay.actions as OverlayAction[])[index]?.target;
  const shared = 'fragments' in where;
  return new PipelineError({
    file: overlayFile,
    pointer: toPointer(['actions', index, 'target']),
    reason: shared
      ? `target ${target} matches nothing in any fragment of the folder (${where.fragments.join(', ')})`
      : `target ${target} matches nothing in ${where.fragment ?? 'the fragment'}`,
    hint: shared
      ? 'no fragment has that node any more: fix the target or drop the action (a fragment that lacks it is skipped, so it may stay for the others)'
      : 'the upstream fragment no longer has that node: fix the target or drop the action',
  });
}

/**
 * The pointer a simple JSONPath target stands for (`$`, `.name`, `['name']`, `[0]`), or
 * `undefined` for filters and wildcards, which name no single node.
 */
export function targetPointer(target: string): string | undefined {
  const segments: string[] = [];
  const pattern =
    /\.([A-Za-z_$][\w$-]*)|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]/y;
  pattern.lastIndex = 1;
  if (!target.startsWith('$')) return undefined;
  while (pattern.lastIndex < target.length) {
    const match = pattern.exec(target);
    if (!match) return undefined;
    segments.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
  }
  return toPointer(segments);
}

/**
 * Which overlay action made the node at `pointer`: the action whose target (plus, for an
 * update with an object, one of its top-level keys) is the longest prefix of the pointer; a
 * later action wins a tie, as it does when applied. `undefined` when none names it.
 */
export function actionMaking(
  overlay: Record<string, unknown>,
  pointer: string,
): number | undefined {
  let best: { index: number; length: number } | undefined;
  const actions = Array.isArray(overlay.actions) ? (overlay.actions as OverlayAction[]) : [];
  actions.forEach((action, index) => {
    const base = typeof action?.target === 'string' ? targetPointer(action.target) : undefined;
    if (base === undefined || action.remove) return;
    const update = action.update;
    const keys =
      typeof update === 'object' && update !== null && !Array.isArray(update)
        ? Object.keys(update).map((k) => base + toPointer([k]))
        : [base];
    for (const made of keys) {
      const covers = pointer === made || pointer.startsWith(`${made}/`);
      if (covers && made.length >= (best?.length ?? -1)) best = { index, length: made.length };
    }
  });
  return best?.index;
}
