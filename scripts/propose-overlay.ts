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

/** Where the command writes: the process's streams, or a test's. */
export interface Output {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** The command: exit code 0, or 1 with the reason on stderr. */
export async function proposeOverlayCommand(args: string[], out: Output): Promise<number> {
  try {
    await propose(args, out);
    return 0;
  } catch (error) {
    out.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function propose(args: string[], out: Output): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
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
    out.stderr.write(`review: ${item.operation}: ${item.text}\n`);
  }
  if (!values.write) {
    out.stdout.write(text);
    return;
  }
  const target = proposedOverlayFile(fragment);
  await writeFile(target, text);
  out.stdout.write(
    `wrote ${relative(process.cwd(), target)}: ${proposal.actions.length} actions, ` +
      `${proposal.keep.length} operations kept, ${proposal.review.length} review items\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await proposeOverlayCommand(process.argv.slice(2), process);
}
