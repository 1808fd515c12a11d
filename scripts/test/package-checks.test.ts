import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { reportedPackages } from '../api-reports.js';
import { BUDGETS, measure } from '../size/size-budgets.js';

/**
 * What a consumer installs, checked the way npm would ship it: the packed tarballs go through
 * publint (strict) and Are The Types Wrong (every resolution mode), the API reports must match
 * the built declarations, and the bundles must fit their size budgets.
 */
const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
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
  // One pnpm for the three: a pnpm start costs more than a pack.
  const filters = PACKAGES.flatMap((name) => ['--filter', `@dx/${name}`]);
  await run('pnpm', ['-r', ...filters, 'pack', '--pack-destination', packDir], { cwd: ROOT });
  for (const file of await readdir(packDir)) {
    const name = PACKAGES.find((p) => file.startsWith(`dx-${p}-`));
    if (name) tarballs.set(name, join(packDir, file));
  }
}, 120_000);

afterAll(async () => {
  if (packDir) await rm(packDir, { recursive: true, force: true });
});

async function tarballData(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(tarballs.get(name) as string));
}

describe.each(PACKAGES)('@dx/%s as published', (name) => {
  it('passes publint --strict on the packed tarball', async () => {
    const pkg = await readFile(join(ROOT, 'packages', name, 'package.json'), 'utf8');
    const tarball = await tarballData(name);
    const { messages } = await publint({
      pack: { tarball: tarball.buffer as ArrayBuffer },
      strict: true,
    });
    expect(messages.map((m) => formatMessage(m, JSON.parse(pkg)))).toEqual([]);
  });

  it('has correct types in every resolution mode (attw)', async () => {
    // In-process, as the attw command runs it: one load of its compiler for the three packages.
    const report = await checkPackage(createPackageFromTarballData(await tarballData(name)));
    expect(report.types).not.toBe(false);
    if (report.types === false) return;
    expect(report.problems).toEqual([]);
    for (const entry of ['.', ...SUBPATHS[name]]) {
      const modes = Object.keys(report.entrypoints[entry]?.resolutions ?? {});
      expect(modes.sort(), entry).toEqual(['bundler', 'node10', 'node16-cjs', 'node16-esm']);
    }
  });

  it('matches its committed API report (etc/*.api.md)', () => {
    // In-process, as `api-extractor run` does it: the three packages share one load of the
    // compiler instead of starting a process each.
    const config = ExtractorConfig.loadFileAndPrepare(
      join(ROOT, 'packages', name, 'api-extractor.json'),
    );
    const output: string[] = [];
    const result = Extractor.invoke(config, {
      localBuild: false,
      messageCallback: (message) => {
        message.handled = true;
        if (message.logLevel === 'error' || message.logLevel === 'warning') {
          output.push(message.text);
        }
      },
    });
    expect(
      result.succeeded,
      `the API changed: run \`pnpm api:update\` and commit etc/*.api.md\n${output.join('\n')}`,
    ).toBe(true);
    expect(result.apiReportChanged).toBe(false);
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

describe('API reports name what users see', () => {
  it('pnpm api:update covers exactly the packages with an api-extractor.json (not the CLI)', async () => {
    const dirs = await reportedPackages(ROOT);
    expect(dirs.map((d) => d.split('/').at(-1))).toEqual([...PACKAGES]);
  });

  /**
   * Types the generator's fixed core declares without `export` (core/OpenAPI.ts and the client
   * class): listed in the report, but no entry point can export them. Any other unexported type
   * in a report is one of ours that a user can reach but not name.
   */
  const GENERATOR_PRIVATE = ['Headers_2', 'HttpRequestConstructor', 'Resolver'];

  it.each(PACKAGES)(
    '@dx/%s: no twin renamed with a dollar suffix, no forgotten export',
    async (name) => {
      const [report] = (await readdir(join(ROOT, 'packages', name, 'etc'))).filter((f) =>
        f.endsWith('.api.md'),
      );
      const text = await readFile(join(ROOT, 'packages', name, 'etc', report!), 'utf8');
      // Two declarations of one name in the bundled .d.ts: users' errors say `DxCoreClient$1`.
      expect(text.match(/\w+\$\d+/g) ?? []).toEqual([]);
      expect(text).not.toContain('ae-forgotten-export');
      const unexported = [
        ...text.matchAll(
          /^(?:declare )?(?:abstract )?(?:class|interface|type|const|function) (\w+)/gm,
        ),
      ].map((m) => m[1]);
      const allowed = name === 'core-client' ? GENERATOR_PRIVATE : [];
      expect(unexported.sort()).toEqual(allowed);
    },
  );
});

describe('size budgets (minified, tree-shaken, gzipped; see BUDGETS)', () => {
  it.each(BUDGETS.map((b) => [b.name, b] as const))('%s', async (_name, budget) => {
    const measured = await measure(budget);
    expect(measured.minified).toBeGreaterThan(0);
    expect(measured.gzipped).toBeLessThanOrEqual(budget.limitBytes);
  });
});
