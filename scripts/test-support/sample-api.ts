import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiConfig } from '../pipeline/apis.js';

/** A test API of its own, built from fixtures only: never tied to the operations of `specs/`. */
export const SAMPLE: ApiConfig = {
  name: 'sample',
  specDir: 'specs/sample',
  openapiFile: 'specs/sample/openapi.yaml',
  clientDir: 'generated/sample',
  clientName: 'SampleClient',
  requestFile: 'templates/request.ts',
};

export const SAMPLE_FIXTURES = join(process.cwd(), 'scripts/test/fixtures/sample-api');

/**
 * A scratch repository holding the sample API's shared overlay and the named fragments; the
 * caller removes `dir` when done.
 */
export async function sampleRepo(fragments: string[], extra: string[] = []): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dx-sample-api-'));
  await mkdir(join(dir, SAMPLE.specDir), { recursive: true });
  const files = ['api.overlay.yaml', ...extra];
  for (const name of fragments) files.push(`${name}.swagger.yaml`, `${name}.overlay.yaml`);
  for (const file of files) {
    await cp(join(SAMPLE_FIXTURES, file), join(dir, SAMPLE.specDir, file));
  }
  await cp(join(process.cwd(), 'packages/core-client/templates'), join(dir, 'templates'), {
    recursive: true,
  });
  return dir;
}
