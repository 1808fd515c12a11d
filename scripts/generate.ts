/**
 * `pnpm generate`: spec fragments + overlays → specs/<api>/openapi.yaml → generated client.
 * Everything is built in a scratch folder first and swapped in only when every stage passed,
 * so a failure leaves the committed output exactly as it was.
 */
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APIS } from './pipeline/apis.js';
import { buildApi } from './pipeline/build-api.js';
import { PipelineError } from './pipeline/pipeline-error.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function swapIn(built: string, target: string): Promise<void> {
  const backup = `${target}.old-${process.pid}`;
  await rm(backup, { recursive: true, force: true });
  await rename(target, backup).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(built, target);
  await rm(backup, { recursive: true, force: true });
}

async function main(): Promise<void> {
  await mkdir(join(root, '.tmp'), { recursive: true });
  const scratch = await mkdtemp(join(root, '.tmp', 'generate-'));
  try {
    const built = [];
    for (const api of APIS)
      built.push({ api, out: await buildApi(api, root, join(scratch, api.name)) });
    for (const { api, out } of built) {
      await swapIn(out.openapiFile, join(root, api.openapiFile));
      await swapIn(out.clientDir, join(root, api.clientDir));
      process.stdout.write(`generated ${api.openapiFile} and ${api.clientDir}/\n`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof PipelineError ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
