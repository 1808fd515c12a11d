import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { build } from 'esbuild';

const bundles = new Map<string, Promise<string>>();

/**
 * A test's TypeScript child program (a run to kill, a lock contender), bundled once per test
 * run into plain JavaScript: `node bundle.mjs` starts in a fraction of what
 * `node --import tsx child.ts` spends compiling it at every start, and the tests start such
 * children dozens of times. Its packages stay imports: the bundle sits in the
 * `node_modules/.cache` of the package the child belongs to, so they resolve as before.
 * Returns the bundle's path.
 */
export function bundleChild(entry: string): Promise<string> {
  let bundle = bundles.get(entry);
  if (!bundle) {
    const outfile = join(
      packageOf(entry),
      'node_modules',
      '.cache',
      'test-children',
      basename(entry).replace(/\.ts$/, '.mjs'),
    );
    bundle = build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile,
      logLevel: 'silent',
    }).then(() => outfile);
    bundles.set(entry, bundle);
  }
  return bundle;
}

/** The nearest folder above `file` with a node_modules. */
function packageOf(file: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return dir;
  }
  throw new Error(`${file}: no node_modules above it`);
}
