import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { API_OVERLAY, FRAGMENT, OVERLAY, PROPOSED_OVERLAY } from '../pipeline/build-api.js';
import { loadYamlDocument } from '../pipeline/load.js';
import { applySharedOverlay } from '../pipeline/overlay.js';
import { PipelineError } from '../pipeline/pipeline-error.js';
import { proposeOverlay, type Proposal } from './propose.js';
import { serializeProposal } from './serialize.js';

/**
 * Proposes the overlay of one fragment, as the pipeline will see it: after the folder's
 * API-level overlay. `label` is how the fragment is named in the header's command (its path
 * from the repository root), so that the bytes do not depend on the working directory.
 */
export async function proposeForFragment(
  fragmentFile: string,
  label: string,
  keep?: readonly string[],
): Promise<{ proposal: Proposal; text: string }> {
  if (!fragmentFile.endsWith(FRAGMENT)) {
    throw new PipelineError({
      file: fragmentFile,
      reason: `not a *${FRAGMENT} fragment`,
      hint: 'pass the crawled fragment, e.g. specs/dx-core/downlink-messages.swagger.yaml',
    });
  }
  let spec = loadYamlDocument(await readFile(fragmentFile, 'utf8'), fragmentFile);
  const apiOverlay = join(dirname(fragmentFile), API_OVERLAY);
  const hasApiOverlay = existsSync(apiOverlay);
  if (hasApiOverlay) {
    const overlay = loadYamlDocument(await readFile(apiOverlay, 'utf8'), apiOverlay);
    // Shared by the folder's fragments: an action this one lacks the node of is skipped.
    spec = (await applySharedOverlay(spec, overlay, apiOverlay)).data;
  }
  const proposal = proposeOverlay(spec, fragmentFile, keep);
  const stem = basename(fragmentFile).slice(0, -FRAGMENT.length);
  const text = serializeProposal(proposal, {
    fragment: label,
    handOverlay: `${stem}${OVERLAY}`,
    apiOverlay: hasApiOverlay ? API_OVERLAY : undefined,
  });
  return { proposal, text };
}

/** The keep list a committed proposal was made with (`x-proposal.keep`). */
export async function recordedKeep(proposedFile: string): Promise<string[]> {
  const document = loadYamlDocument(await readFile(proposedFile, 'utf8'), proposedFile);
  const keep = (document['x-proposal'] as { keep?: unknown } | undefined)?.keep;
  if (!Array.isArray(keep) || !keep.every((k) => typeof k === 'string')) {
    throw new PipelineError({
      file: proposedFile,
      pointer: '/x-proposal/keep',
      reason: 'the proposal does not record its keep list',
      hint: 'regenerate it with pnpm propose-overlay <fragment> --keep "METHOD /path" --write',
    });
  }
  return keep as string[];
}

/**
 * Reruns every committed proposal of `specDir` (relative to `root`) with its recorded keep list
 * and lists those whose bytes differ, as `~ <file> (differs; rerun ...)`.
 */
export async function findStaleProposals(root: string, specDir: string): Promise<string[]> {
  const names = (await readdir(join(root, specDir))).sort();
  const problems: string[] = [];
  for (const name of names.filter((n) => n.endsWith(PROPOSED_OVERLAY))) {
    const file = join(root, specDir, name);
    const fragmentLabel = `${specDir}/${name.slice(0, -PROPOSED_OVERLAY.length)}${FRAGMENT}`;
    const fresh = await proposeForFragment(
      join(root, fragmentLabel),
      fragmentLabel,
      await recordedKeep(file),
    );
    if (fresh.text !== (await readFile(file, 'utf8'))) {
      problems.push(
        `~ ${specDir}/${name} (differs; rerun pnpm propose-overlay ${fragmentLabel} --write)`,
      );
    }
  }
  return problems;
}
