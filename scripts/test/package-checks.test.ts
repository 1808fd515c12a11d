import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUDGETS, measure } from '../size/size-budgets.js';

/**
 * What a consumer installs, checked the way npm would ship it: the packed tarballs go through
 * publint (strict) and Are The Types Wrong (every resolution mode), the API reports must match
 * the built declarations, and the bundles must fit their size budgets.
 */
const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');
const PACKAGES = ['core-client', 'downlink-helpers', 'mock'] as const;
/** Subpath exports beyond `.`, each checked in every resolution mode too. */
const SUBPATHS: Record<(typeof PACKAGES)[number], string[]> = {
  'core-client': [],
  'downlink-helpers': ['./file-journal', './postgres-journal'],
  mock: ['./msw'],
};
let packDir = '';
const tarballs = new Map<string, string>();

beforeAll(async () => {
  for (const name of PACKAGES) {
    if (!existsSync(join(ROOT, 'packages', name, 'dist/index.js'))) {
      throw new Error(
        `packages/${name}/dist is missing: run \`pnpm build\` first (pnpm test does)`,
      );
    }
  }
  packDir = await mkdtemp(join(tmpdir(), 'dx-pack-'));
  for (const name of PACKAGES) {
    await run('pnpm', ['pack', '--pack-destination', packDir], {
      cwd: join(ROOT, 'packages', name),
    });
  }
  for (const file of await readdir(packDir)) {
    const name = PACKAGES.find((p) => file.startsWith(`dx-${p}-`));
    if (name) tarballs.set(name, join(packDir, file));
  }
}, 120_000);

afterAll(async () => {
  if (packDir) await rm(packDir, { recursive: true, force: true });
});

describe.each(PACKAGES)('@dx/%s as published', (name) => {
  it('passes publint --strict on the packed tarball', async () => {
    const tarball = tarballs.get(name) as string;
    const { stdout } = await run(join(BIN, 'publint'), ['run', tarball, '--strict']);
    expect(stdout).toContain('All good!');
  });

  it('has correct types in every resolution mode (attw)', async () => {
    const tarball = tarballs.get(name) as string;
    const { stdout } = await run(join(BIN, 'attw'), [tarball, '--format', 'json'], {
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as {
      analysis: {
        problems: unknown[];
        entrypoints: Record<string, { resolutions: Record<string, { resolution?: unknown }> }>;
      };
    };
    expect(report.analysis.problems).toEqual([]);
    for (const entry of ['.', ...SUBPATHS[name]]) {
      const modes = Object.keys(report.analysis.entrypoints[entry]?.resolutions ?? {});
      expect(modes.sort(), entry).toEqual(['bundler', 'node10', 'node16-cjs', 'node16-esm']);
    }
  });

  it('matches its committed API report (etc/*.api.md)', async () => {
    const cwd = join(ROOT, 'packages', name);
    const result = await run(join(BIN, 'api-extractor'), ['run'], { cwd }).then(
      () => ({ ok: true, output: '' }),
      (error: { stdout?: string; stderr?: string }) => ({
        ok: false,
        output: `${error.stdout}${error.stderr}`,
      }),
    );
    expect(
      result.ok,
      `the API changed: run \`pnpm api:update\` and commit etc/*.api.md\n${result.output}`,
    ).toBe(true);
  });
});

describe('API review of the generated client', () => {
  it('the core-client report lists every generated service and method with its types', async () => {
    const report = await readFile(
      join(ROOT, 'packages/core-client/etc/core-client.api.md'),
      'utf8',
    );
    const services = join(ROOT, 'packages/core-client/src/generated/services');
    const files = await readdir(services);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const source = await readFile(join(services, file), 'utf8');
      const service = /export class (\w+)/.exec(source)?.[1];
      expect(report, file).toMatch(new RegExp(`class ${service}\\b`));
      for (const [, method] of source.matchAll(/public (\w+)\(/g)) {
        expect(report, `${service}.${method}`).toMatch(
          new RegExp(`\\b${method}\\(input: \\{[^}]*\\}\\): CancelablePromise`),
        );
      }
    }
  });
});

describe('size budgets (minified, tree-shaken, gzipped; see BUDGETS)', () => {
  it.each(BUDGETS.map((b) => [b.name, b] as const))('%s', async (_name, budget) => {
    const measured = await measure(budget);
    expect(measured.minified).toBeGreaterThan(0);
    expect(measured.gzipped).toBeLessThanOrEqual(budget.limitBytes);
  });
});
