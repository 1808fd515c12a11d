/**
 * `pnpm check:generated`: regenerates into a temporary folder and fails on any difference from
 * what is committed, so a spec, overlay or generator change can't land without its output.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APIS } from './pipeline/apis.js';
import { buildApi } from './pipeline/build-api.js';
import { diffTrees } from './pipeline/output-files.js';
import { PipelineError } from './pipeline/pipeline-error.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'dx-check-generated-'));
  const problems: string[] = [];
  try {
    for (const api of APIS) {
      const out = await buildApi(api, root, join(scratch, api.name));
      const committed = await readFile(join(root, api.openapiFile), 'utf8').catch(() => '');
      if (committed !== (await readFile(out.openapiFile, 'utf8')))
        problems.push(`~ ${api.openapiFile} (differs)`);
      for (const d of await diffTrees(join(root, api.clientDir), out.clientDir))
        problems.push(`${d.slice(0, 2)}${api.clientDir}/${d.slice(2)}`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    process.stderr.write(
      `Generated output is stale; run \`pnpm generate\` and commit:\n${problems.join('\n')}\n`,
    );
    process.exitCode = 1;
    return;
  }
  process.stdout.write('generated output is up to date\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof PipelineError ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
