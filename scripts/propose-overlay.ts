/**
 * `pnpm propose-overlay <fragment> [--keep "GET /devices"]... [--keep-file F] [--write]`:
 * proposes the mechanical overlay of a crawled fragment (see scripts/overlay-proposal/). Prints
 * it, or with --write saves it as <fragment>.proposed.overlay.yaml beside the fragment, where
 * the pipeline applies it between api.overlay.yaml and the hand-written overlay. Review items
 * (what it cannot decide) go to stderr as well as into the file.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseKeepEntry, parseKeepFile } from './overlay-proposal/keep.js';
import { proposeForFragment, recordedKeep } from './overlay-proposal/proposal-file.js';
import { proposedOverlayFile } from './pipeline/build-api.js';
import { PipelineError } from './pipeline/pipeline-error.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE =
  'usage: pnpm propose-overlay <fragment.swagger.yaml> [--keep "METHOD /path"]... [--keep-file FILE] [--write]';

async function keepList(
  fragment: string,
  flags: string[],
  keepFile: string | undefined,
): Promise<string[] | undefined> {
  const keep = flags.map((entry) => parseKeepEntry(entry, '--keep'));
  if (keepFile !== undefined)
    keep.push(...parseKeepFile(await readFile(keepFile, 'utf8'), keepFile));
  if (keep.length > 0) return keep;
  // No keep list given: rerun with the one the committed proposal records, else keep all.
  const committed = proposedOverlayFile(fragment);
  return existsSync(committed) ? recordedKeep(committed) : undefined;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      keep: { type: 'string', multiple: true, default: [] },
      'keep-file': { type: 'string' },
      write: { type: 'boolean', default: false },
    },
  });
  const [fragmentArg, ...extra] = positionals;
  if (fragmentArg === undefined || extra.length > 0) throw new Error(USAGE);
  const fragment = resolve(fragmentArg);
  const label = relative(root, fragment).split(sep).join('/');
  const keep = await keepList(fragment, values.keep, values['keep-file']);
  const { proposal, text } = await proposeForFragment(fragment, label, keep);
  for (const item of proposal.review) {
    process.stderr.write(`review: ${item.operation}: ${item.text}\n`);
  }
  if (!values.write) {
    process.stdout.write(text);
    return;
  }
  const target = proposedOverlayFile(fragment);
  await writeFile(target, text);
  process.stdout.write(
    `wrote ${relative(process.cwd(), target)}: ${proposal.actions.length} actions, ` +
      `${proposal.keep.length} operations kept, ${proposal.review.length} review items\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof PipelineError || error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
