import { cp, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

/** What a working tree holds that a copy must not: history, builds, caches, the package store. */
const SKIPPED = new Set(['.git', 'dist', '.turbo', '.tmp', 'coverage', '.vite', '.vite-temp']);

/**
 * A copy of the repository at `root` in a new temporary folder, for a test that changes specs
 * and builds as a maintainer would, without touching the real tree. The source is copied; the
 * installed packages are not: every `node_modules` keeps its links as they are (relative, so
 * the workspace's own `@dx/*` links point into the copy) and the one large folder, the pnpm
 * store `node_modules/.pnpm`, is a link to the original. The caller removes the folder.
 */
export async function copyTree(root: string, prefix = 'dx-tree-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const store = join(root, 'node_modules', '.pnpm');
  await cp(root, dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => {
      if (source === store) return false;
      const name = relative(root, source).split(sep).at(-1) ?? '';
      return !SKIPPED.has(name) && !(name === 'api' && source.endsWith(`docs${sep}api`));
    },
  });
  await symlink(store, join(dir, 'node_modules', '.pnpm'), 'dir');
  return dir;
}
