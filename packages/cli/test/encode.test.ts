import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, dx, ndjson, tempHome } from './harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;

beforeAll(async () => {
  home = await tempHome();
});
afterAll(() => home?.cleanup());

// No DX_* variable and no server: encode works offline.
const run = (args: string[]) =>
  dx(['encode', ...args], { env: baseEnv(home.home), cwd: home.home });

describe('dx encode', () => {
  it('prints hex, size against the limit and the time on air from the helpers', async () => {
    const lpp = JSON.stringify([
      { channel: 3, type: 'temperature', value: 27.2 },
      { channel: 5, type: 'temperature', value: 25.5 },
    ]);
    const r = await run([
      '--lpp',
      lpp,
      '--region',
      'EU868',
      '--data-rate',
      'DR0',
      '--sf',
      '12',
      '--json',
    ]);
    expect(r.code).toBe(0);
    // The domain's LPP vector; 21 PHY bytes at SF12/125 kHz, no CRC, DE on: 40.25 symbols of 32.768 ms.
    expect(ndjson(r.stdout)).toEqual([
      {
        hex: '03670110056700FF',
        warnings: [],
        bytes: 8,
        limit: 51,
        fits: true,
        bandwidthHz: 125000,
        timeOnAirMs: { SF12: 1318.912 },
      },
    ]);
  });

  it('human output lists SF7..SF12 without --sf', async () => {
    const r = await run(['--hex', '01 02 03']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^hex: +010203\n/);
    expect(r.stdout).toMatch(/size: +3 of 242 bytes allowed in any region \(give --region/);
    expect(r.stdout).toMatch(/SF7 \d+\.\d ms.*SF12 \d+\.\d ms/);
  });

  it('exit 1 when the payload is larger than the limit', async () => {
    const r = await run([
      '--text',
      'x'.repeat(12),
      '--region',
      'AS923',
      '--data-rate',
      '2',
      '--dwell-time',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/12 of 11 bytes allowed at AS923 DR2: TOO LARGE/);
  });

  it('holds a payload to 242 bytes without a region: exit 1, no time on air, no crash', async () => {
    const fits = await run(['--hex', '01'.repeat(242), '--json']);
    expect(fits.code).toBe(0);
    expect(ndjson(fits.stdout)[0]).toMatchObject({ bytes: 242, limit: 242, fits: true });
    const over = await run(['--hex', '01'.repeat(243)]);
    expect(over.code).toBe(1);
    expect(over.stderr).toBe('');
    expect(over.stdout).toMatch(/size: +243 of 242 bytes allowed in any region .*: TOO LARGE\n$/);
    const json = await run(['--hex', '01'.repeat(243), '--json']);
    expect(json.code).toBe(1);
    expect(ndjson(json.stdout)[0]).toMatchObject({
      bytes: 243,
      limit: 242,
      fits: false,
      timeOnAirMs: {},
    });
  });

  it("exit 1 with the helpers' message for a bad payload, exit 2 for a bad command line", async () => {
    const bad = await run(['--base64', 'A=B', '--json']);
    expect(bad.code).toBe(1);
    expect(ndjson(bad.stdout)[0]).toMatchObject({
      outcome: 'invalid',
      error: { code: 'INVALID_BASE64' },
    });
    const region = await run(['--hex', '01', '--region', 'MARS', '--data-rate', '0']);
    expect(region.code).toBe(1);
    expect(region.stderr).toMatch(/region/);
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/missing payload/);
  });

  it('runs a TS013 codec module with --input as JSON or @file', async () => {
    const codec = join(home.home, 'codec.mjs');
    await writeFile(
      codec,
      'export function encodeDownlink({ data }) { return { bytes: [1, data.interval >> 8, data.interval & 255], fPort: 7, warnings: ["w1"] }; }\n',
    );
    await writeFile(join(home.home, 'in.json'), '{"interval":300}');
    const r = await run(['--codec', codec, '--input', '@in.json', '--json']);
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout)[0]).toMatchObject({
      hex: '01012C',
      fPort: 7,
      warnings: ['w1'],
      bytes: 3,
    });
    const failing = join(home.home, 'failing.cjs');
    await writeFile(
      failing,
      'module.exports = { encodeDownlink: () => ({ errors: ["interval too low"] }) };\n',
    );
    const f = await run(['--codec', failing, '--input', '{}', '--json']);
    expect(f.code).toBe(1);
    expect(ndjson(f.stdout)[0]).toMatchObject({
      error: { code: 'CODEC_ERROR', message: expect.stringContaining('interval too low') },
    });
    const missing = await run(['--codec', join(home.home, 'nope.js'), '--input', '{}']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--codec: cannot load/);
  });
});

describe('dx --help and --version', () => {
  it('lists the commands with examples, and each command has its own help', async () => {
    const top = await dx(['--help'], { env: baseEnv(home.home) });
    expect(top.code).toBe(0);
    for (const name of ['send', 'send-bulk', 'encode', 'mock', 'config']) {
      expect(top.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      const help = await dx([name, '--help'], { env: baseEnv(home.home) });
      expect(help.code, name).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: dx ${name}`));
      expect(help.stdout).toMatch(/Examples:\n  dx /);
    }
    const none = await dx([], { env: baseEnv(home.home) });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Usage: dx <command>/);
  });

  it('--version prints the package version', async () => {
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
    const r = await dx(['--version'], { env: baseEnv(home.home) });
    expect(r.stdout).toBe(`${version}\n`);
  });
});
