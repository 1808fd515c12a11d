import type { ApiConfig } from './pipeline/apis.js';
import { findStaleOutput } from './pipeline/generate-all.js';
import { findStaleProposals } from './overlay-proposal/proposal-file.js';

/**
 * Everything `pnpm check:generated` holds against what is committed: the pipeline's output,
 * and the proposed overlays `pnpm propose-overlay` would now write otherwise.
 */
export async function findStaleFiles(root: string, apis: readonly ApiConfig[]): Promise<string[]> {
  const problems = await findStaleOutput(root, apis);
  for (const api of apis) problems.push(...(await findStaleProposals(root, api.specDir)));
  return problems;
}
