/**
 * `pnpm check:generated`: regenerates into a temporary folder and fails on any difference from
 * what is committed, so a spec, overlay or generator change can't land without its output.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APIS } from './pipeline/apis.js';
import { PipelineError } from './pipeline/pipeline-error.js';
import { findStaleFiles } from './stale-files.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

findStaleFiles(root, APIS).then(
  (problems) => {
    if (problems.length === 0) {
      process.stdout.write('generated output is up to date\n');
      return;
    }
    process.stderr.write(
      `Generated output is stale; run \`pnpm generate\` and commit:\n${problems.join('\n')}\n`,
    );
    process.exitCode = 1;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof PipelineError ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
