import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ApiConfig } from './apis.js';
import { buildApi } from './build-api.js';
import { diffTrees } from './output-files.js';

async function swapIn(built: string, target: string): Promise<void> {
  const backup = `${target}.old-${process.pid}`;
  await rm(backup, { recursive: true, force: true });
  await rename(target, backup).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  // The first output of a new API has no folder yet.
  await mkdir(dirname(target), { recursive: true });
  await rename(built, target);
  await rm(backup, { recursive: true, force: true });
}

/**
 * Builds every API in a scratch folder under `root/.tmp` (same file system, so the final
 * renames are atomic) and swaps the results in only when every API built: a failure at any
 * stage leaves the committed output exactly as it was.
 */
export async function generateAll(root: string, apis: readonly ApiConfig[]): Promise<string[]> {
  await mkdir(join(root, '.tmp'), { recursive: true });
  const scratch = await mkdtemp(join(root, '.tmp', 'generate-'));
  try {
    const built = [];
    for (const api of apis)
      built.push({ api, out: await buildApi(api, root, join(scratch, api.name)) });
    const written: string[] = [];
    for (const { api, out } of built) {
      await swapIn(out.openapiFile, join(root, api.openapiFile));
      await swapIn(out.clientDir, join(root, api.clientDir));
      written.push(api.openapiFile, `${api.clientDir}/`);
    }
    return written;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Regenerates into a temporary folder and lists every difference from what is in `root`. */
export async function findStaleOutput(root: string, apis: readonly ApiConfig[]): Promise<string[]> {
  const scratch = await mkdtemp(join(tmpdir(), 'dx-check-generated-'));
  const problems: string[] = [];
  try {
    for (const api of apis) {
      const out = await buildApi(api, root, join(scratch, api.name));
      const committed = await readFile(join(root, api.openapiFile), 'utf8').catch(() => '');
      if (committed !== (await readFile(out.openapiFile, 'utf8')))
        problems.push(`~ ${api.openapiFile} (differs)`);
      for (const d of await diffTrees(join(root, api.clientDir), out.clientDir)) {
        problems.push(`${d.slice(0, 2)}${api.clientDir}/${d.slice(2)}`);
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return problems;
}
