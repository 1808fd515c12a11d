import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { APIS, type ApiConfig } from '../pipeline/apis.js';
import { SAMPLE, SAMPLE_FIXTURES, sampleRepo as makeSampleRepo } from './sample-api.js';

/**
 * Throwaway repositories for pipeline tests, removed after each test of the file that imports
 * this module: the sample API of {@link makeSampleRepo} and a copy of the real one.
 */
const scratch: string[] = [];
afterEach(async () => {
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

export { SAMPLE };
export const FIXTURES = SAMPLE_FIXTURES;
export const ROOT = process.cwd();
export const API = APIS[0] as ApiConfig;

export async function scratchDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** {@link makeSampleRepo}, removed after the test. */
export async function sampleRepo(fragments: string[], extra: string[] = []): Promise<string> {
  const dir = await makeSampleRepo(fragments, extra);
  scratch.push(dir);
  return dir;
}

/** A throwaway copy of the parts of the repository the pipeline reads and writes. */
export async function copyRepo(): Promise<string> {
  const dir = await scratchDir('dx-pipeline-test-');
  await cp(join(ROOT, 'specs'), join(dir, 'specs'), { recursive: true });
  await cp(
    join(ROOT, 'packages/core-client/templates'),
    join(dir, 'packages/core-client/templates'),
    { recursive: true },
  );
  await cp(join(ROOT, API.clientDir), join(dir, API.clientDir), { recursive: true });
  return dir;
}
