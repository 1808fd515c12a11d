import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN } from './harness.js';

/** The package as npm would ship it: publint on the packed tarball, and what is inside. */
const run = promisify(execFile);
const PACKAGE = resolve(import.meta.dirname, '..');
const ROOT = resolve(PACKAGE, '../..');
let packDir = '';
let tarball = '';

beforeAll(async () => {
  assertBuilt();
  packDir = await mkdtemp(join(tmpdir(), 'dx-cli-pack-'));
  await run('pnpm', ['pack', '--pack-destination', packDir], { cwd: PACKAGE });
  tarball = join(packDir, (await readdir(packDir))[0] as string);
}, 120_000);
afterAll(() => (packDir ? rm(packDir, { recursive: true, force: true }) : undefined));

describe('@dx/cli as published', () => {
  it('passes publint --strict', async () => {
    const { stdout } = await run(join(ROOT, 'node_modules/.bin/publint'), [
      'run',
      tarball,
      '--strict',
    ]);
    expect(stdout).toContain('All good!');
  });

  it('ships the bin with a shebang, the README and the licence, and no sources or tests', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean).sort();
    expect(files).toEqual(
      [
        'LICENSE',
        'README.md',
        'dist/cli.js',
        'dist/cli.js.map',
        // What a --codec module runs in (see src/codec/run-codec.ts).
        'dist/codec/codec-runner.js',
        'dist/codec/codec-runner.js.map',
        'package.json',
      ].map((f) => `package/${f}`),
    );
    expect((await readFile(BIN, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('declares the dx bin, Node 20+, and workspace dependencies rewritten to versions', async () => {
    const { stdout } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
    const manifest = JSON.parse(stdout) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      bin: { dx: './dist/cli.js' },
      engines: { node: '>=20' },
      type: 'module',
    });
    for (const version of Object.values(manifest.dependencies as Record<string, string>)) {
      expect(version).not.toMatch(/workspace:/);
    }
  });
});
