/**
 * A fresh clone's `pnpm install` (the first step of `pnpm bootstrap`) has nothing to warn
 * about: every bin it links exists before the build, and every dependency that ships an install
 * script is decided in pnpm-workspace.yaml (pnpm 10 runs none unless told, and says so).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '../..');
const tracked = new Set(
  execFileSync('git', ['ls-files', 'packages'], { cwd: ROOT, encoding: 'utf8' }).split('\n'),
);

interface Manifest {
  name?: string;
  bin?: string | Record<string, string>;
  scripts?: Record<string, string>;
}

const readJson = (path: string): Manifest => JSON.parse(readFileSync(path, 'utf8')) as Manifest;

/** Every package installed under node_modules/.pnpm, by its folder. */
function installedPackages(): { folder: string; manifest: Manifest }[] {
  const store = join(ROOT, 'node_modules/.pnpm');
  const found: { folder: string; manifest: Manifest }[] = [];
  for (const entry of readdirSync(store)) {
    const modules = join(store, entry, 'node_modules');
    if (!existsSync(modules)) continue;
    for (const name of readdirSync(modules)) {
      const names = name.startsWith('@')
        ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`)
        : [name];
      for (const n of names) {
        const folder = join(modules, n);
        // Links to the package's dependencies are listed there too; each package once.
        if (!realpathSync(folder).startsWith(join(store, entry))) continue;
        const manifestPath = join(folder, 'package.json');
        if (existsSync(manifestPath)) found.push({ folder, manifest: readJson(manifestPath) });
      }
    }
  }
  return found;
}

describe('pnpm install in a fresh clone', () => {
  it('every bin of a workspace package is a committed file, so pnpm links it before the build', () => {
    for (const name of readdirSync(join(ROOT, 'packages'))) {
      const manifestPath = join(ROOT, 'packages', name, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const { bin } = readJson(manifestPath);
      // A package nothing in the workspace depends on gets no bin link: only linked ones count.
      const linked = existsSync(join(ROOT, 'node_modules', readJson(manifestPath).name ?? ''));
      if (bin === undefined || !linked) continue;
      for (const target of typeof bin === 'string' ? [bin] : Object.values(bin)) {
        const file = normalize(join('packages', name, target));
        expect(tracked.has(file), `${file} (bin of packages/${name})`).toBe(true);
      }
    }
  });

  it('every dependency with an install script is allowed or ignored in pnpm-workspace.yaml', () => {
    const workspace = parse(readFileSync(join(ROOT, 'pnpm-workspace.yaml'), 'utf8')) as {
      onlyBuiltDependencies?: string[];
      ignoredBuiltDependencies?: string[];
    };
    const decided = new Set([
      ...(workspace.onlyBuiltDependencies ?? []),
      ...(workspace.ignoredBuiltDependencies ?? []),
    ]);
    const building = installedPackages()
      .filter(({ folder, manifest }) => {
        const scripts = manifest.scripts ?? {};
        return Boolean(
          scripts.preinstall ??
          scripts.install ??
          scripts.postinstall ??
          (existsSync(join(folder, 'binding.gyp')) ? 'node-gyp' : undefined),
        );
      })
      .map(({ manifest }) => manifest.name ?? '?');
    expect(building.length).toBeGreaterThan(0);
    expect([...new Set(building)].filter((name) => !decided.has(name))).toEqual([]);
  });
});
