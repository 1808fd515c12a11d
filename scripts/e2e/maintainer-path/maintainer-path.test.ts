/**
 * The maintainer's path of the root README ("Adding a spec fragment"), followed in a copy of
 * the tree with a crawled fragment of this test's own (fixtures/: crawler metadata, typeless
 * parameters, a `holder` body, several tags; not a real DX spec): put the fragment,
 * `pnpm propose-overlay ... --write`, put the hand overlay, `pnpm generate`, `pnpm api:update`.
 * Then the new operations must be exported, typed for a strict TypeScript consumer and answered
 * by `@dx/mock`, with no hand-written file touched.
 *
 * Part of `pnpm test:e2e` (run by scripts/e2e/run.ts with ./vitest.config.ts), not of
 * `pnpm test`: like the consumers, it proves a whole workflow on a copy of the repository, and
 * its four package builds from scratch cost about 30 s of CPU. The copy links the installed
 * packages instead of installing them.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listFiles } from '../../pipeline/output-files.js';
import { copyTree } from '../../test-support/tree-copy.js';

const run = promisify(execFile);
const ROOT = process.cwd();
const FIXTURES = join(import.meta.dirname, 'fixtures');
const SPECS = 'specs/dx-core';
const KEEP = ['GET /devices/{deviceRef}', 'PUT /devices/{deviceRef}'];
const ENV = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0', NO_COLOR: '1' };

let tree = '';
const log: string[] = [];

async function pnpm(args: string[]): Promise<string> {
  const { stdout, stderr } = await run('pnpm', args, {
    cwd: tree,
    env: ENV,
    maxBuffer: 32 * 1024 * 1024,
  });
  log.push(`$ pnpm ${args.join(' ')}\n${stdout}${stderr}`);
  return stdout + stderr;
}

beforeAll(async () => {
  tree = await copyTree(ROOT, 'dx-maintainer-path-');
  // 1. The upstream fragment, byte for byte.
  await cp(join(FIXTURES, 'devices.swagger.yaml'), join(tree, SPECS, 'devices.swagger.yaml'));
  // 2. The mechanical overlay.
  const keep = KEEP.flatMap((k) => ['--keep', k]);
  await pnpm(['propose-overlay', `${SPECS}/devices.swagger.yaml`, ...keep, '--write']);
  // 3. The hand overlay for the proposal's review items.
  await cp(join(FIXTURES, 'devices.overlay.yaml'), join(tree, SPECS, 'devices.overlay.yaml'));
  // 4. Generate, then refresh what is derived from the build (the API reports).
  await pnpm(['generate']);
  await pnpm(['api:update']);
}, 300_000);

afterAll(async () => {
  if (tree) await rm(tree, { recursive: true, force: true });
});

/** Files of the copy that differ from (or are missing in) the original tree. */
async function changedFiles(): Promise<string[]> {
  const changed: string[] = [];
  for (const file of await listFiles(tree)) {
    if (/(^|\/)(node_modules|dist|\.turbo|\.tmp|consumer)\//.test(file)) continue;
    if (/\.gen\.ts$/.test(file)) continue; // the mock's build copies the spec; not committed
    const original = await readFile(join(ROOT, file), 'utf8').catch(() => undefined);
    if (original !== (await readFile(join(tree, file), 'utf8'))) changed.push(file);
  }
  return changed.sort();
}

describe('adding a spec fragment, as the README says', () => {
  it('changes only the spec folder, the generated client and the API report', async () => {
    const changed = await changedFiles();
    const derived =
      /^(specs\/dx-core\/|packages\/core-client\/src\/generated\/|packages\/[^/]+\/etc\/)/;
    expect(changed.filter((f) => !derived.test(f))).toEqual([]);
    expect(changed).toEqual(
      expect.arrayContaining([
        `${SPECS}/devices.proposed.overlay.yaml`,
        `${SPECS}/openapi.yaml`,
        'packages/core-client/src/generated/services/DeviceService.ts',
        'packages/core-client/src/generated/models/Device.ts',
        'packages/core-client/etc/core-client.api.md',
      ]),
    );
  });

  it('leaves the derived files as the checks want them (check:generated, API report, sizes)', async () => {
    await pnpm(['check:generated']);
    await run(join(tree, 'node_modules/.bin/api-extractor'), ['run'], {
      cwd: join(tree, 'packages/core-client'),
      env: ENV,
    });
    await pnpm(['size']);
    const report = await readFile(
      join(tree, 'packages/core-client/etc/core-client.api.md'),
      'utf8',
    );
    expect(report).toMatch(/getDevice\(input: \{[^}]*\}\): CancelablePromise<Device>/);
    expect(report).not.toMatch(/\w\$\d/);
  }, 120_000);

  it('documents the new service and models from the spec (what the docs test asks)', async () => {
    const generated = join(tree, 'packages/core-client/src/generated');
    const barrel = await readFile(join(generated, 'spec-exports.ts'), 'utf8');
    expect(barrel).toMatch(/@example[\s\S]*new DeviceService\([\s\S]*export \{ DeviceService \}/);
    expect(await readFile(join(generated, 'models/Device.ts'), 'utf8')).toContain('@example');
  });

  it('types the new operations for a strict TypeScript consumer, under their own names', async () => {
    const consumer = join(tree, 'consumer');
    await mkdir(consumer, { recursive: true });
    await writeFile(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2022', 'dom'],
          types: [],
          noEmit: true,
        },
        files: ['typed.ts'],
      }),
    );
    await writeFile(
      join(consumer, 'typed.ts'),
      `import { createDxClient, createDxRequest, DeviceService, type Device, type DeviceUpdate } from '@dx/core-client';
const client = createDxClient({ auth: { token: 't' } });
export const device: Promise<Device> = client.device.getDevice({ deviceRef: 'dev-1', withStatistics: true });
const update: DeviceUpdate = { name: 'Boiler room sensor' };
export const alone = new DeviceService(createDxRequest({ auth: { token: 't' } }));
export const updated: Promise<Device> = alone.updateDevice({ deviceRef: 'dev-1', requestBody: update });
// @ts-expect-error deviceRef is required
client.device.getDevice({});
// @ts-expect-error withStatistics is a boolean
client.device.getDevice({ deviceRef: 'dev-1', withStatistics: 'yes' });
export async function misuse(): Promise<void> {
  const count: number = await client.device.getDevice({ deviceRef: 'dev-1' });
  const queued: number = await client.downlink.sendDownlinkMessage({ device: 'd', requestBody: { payloadHex: '01', targetPorts: '1' } });
}
`,
    );
    const tsc = join(tree, 'node_modules/.bin/tsc');
    const result = await run(tsc, ['-p', consumer], { cwd: consumer }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? '',
    );
    // Only the two deliberate misuses fail, and the errors name the types as users know them.
    const errors = result.split('\n').filter((line) => /error TS/.test(line));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/Type 'Device' is not assignable to type 'number'/);
    expect(errors[1]).toMatch(/Type 'DownlinkMessageResponse' is not assignable to type 'number'/);
  }, 60_000);

  it('exports the new service and @dx/mock answers its operations from the spec', async () => {
    const consumer = join(tree, 'consumer');
    await mkdir(consumer, { recursive: true });
    await writeFile(
      join(consumer, 'ask-mock.mjs'),
      `import { startDxMock } from '@dx/mock';
import { createDxClient, DeviceService } from '@dx/core-client';
const mock = await startDxMock();
try {
  const client = createDxClient({
    baseUrl: mock.url,
    auth: { clientId: mock.clientId, clientSecret: mock.clientSecret, tokenUrl: mock.tokenUrl },
  });
  const device = await client.device.getDevice({ deviceRef: 'dev-1' });
  const invalid = await client.device
    .updateDevice({ deviceRef: 'dev-1', requestBody: { name: 5 } })
    .then(() => 'accepted', (error) => error.status);
  const operations = mock.requests.map((r) => r.operationId).filter(Boolean);
  process.stdout.write(JSON.stringify({ service: typeof DeviceService, device, invalid, operations }));
} finally {
  await mock.close();
}
`,
    );
    const { stdout } = await run(process.execPath, ['ask-mock.mjs'], { cwd: consumer });
    const answer = JSON.parse(stdout) as Record<string, unknown>;
    const overlay = parse(await readFile(join(FIXTURES, 'devices.overlay.yaml'), 'utf8')) as {
      actions: { update: { definitions?: { Device?: { example?: unknown } } } }[];
    };
    expect(answer.service).toBe('function');
    expect(answer.device).toEqual(overlay.actions[0]?.update.definitions?.Device?.example);
    expect(answer.invalid).toBe(400);
    expect(answer.operations).toEqual(['getDevice', 'updateDevice']);
  }, 60_000);
});
