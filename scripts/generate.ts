/**
 * `pnpm generate`: spec fragments + overlays → specs/<api>/openapi.yaml → generated client.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APIS } from './pipeline/apis.js';
import { generateAll } from './pipeline/generate-all.js';
import { PipelineError } from './pipeline/pipeline-error.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

generateAll(root, APIS).then(
  (written) => process.stdout.write(`generated ${written.join(' and ')}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof PipelineError ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
