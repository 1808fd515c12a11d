/**
 * The release half of the proof: a temp copy of the repo is versioned with changesets and
 * published with `changeset publish` to the local registry, as a release would be.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { appendFile, copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { childEnv, run } from './proc.js';

export interface WorkspacePackage {
  name: string;
  /** Relative to the repo root, e.g. `packages/core-client`. */
  dir: string;
  version: string;
}

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** The public workspace packages (what a release publishes). */
export async function listPackages(root: string): Promise<WorkspacePackage[]> {
  const found: WorkspacePackage[] = [];
  for (const entry of await readdir(join(root, 'packages'))) {
    const file = join(root, 'packages', entry, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = readJson(file);
    if (pkg['private'] === true) continue;
    found.push({
      name: String(pkg['name']),
      dir: `packages/${entry}`,
      version: String(pkg['version']),
    });
  }
  return found;
}

/**
 * Copies the repo's files as git sees them (tracked and untracked-not-ignored, so uncommitted
 * work is tested too) into `dest`, as a one-commit git repo (changesets reads git).
 */
export async function copyRepo(root: string, dest: string): Promise<number> {
  const listed = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: root, maxBuffer: 64 * 1024 * 1024 },
  )
    .toString('utf8')
    .split('\0');
  let copied = 0;
  for (const rel of new Set(listed)) {
    const from = join(root, rel);
    if (rel === '' || !existsSync(from) || !statSync(from).isFile()) continue;
    await mkdir(dirname(join(dest, rel)), { recursive: true });
    await copyFile(from, join(dest, rel));
    copied++;
  }
  const identity = ['-c', 'user.name=dx-e2e', '-c', 'user.email=dx-e2e@localhost'];
  const commit = [
    '-c',
    'commit.gpgsign=false',
    'commit',
    '-q',
    '--no-verify',
    '-m',
    'e2e snapshot',
  ];
  for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], commit])
    execFileSync('git', [...identity, ...args], { cwd: dest, stdio: 'ignore' });
  return copied;
}

/** `pnpm install` in the copy, from the store that the repo's own install filled. */
export async function installCopy(copy: string): Promise<string> {
  const install = (mode: string, timeoutMs: number) =>
    run('pnpm', ['install', '--frozen-lockfile', mode], { cwd: copy, timeoutMs });
  try {
    await install('--offline', 120_000);
    return 'offline from the pnpm store';
  } catch (err) {
    console.log(
      `  offline install failed, retrying with --prefer-offline:\n${String(err).slice(0, 800)}`,
    );
    await install('--prefer-offline', 180_000);
    return 'with --prefer-offline';
  }
}

/** Writes a patch changeset for every package, runs `pnpm changeset version`, checks the bumps. */
export async function versionCopy(
  copy: string,
  before: WorkspacePackage[],
): Promise<WorkspacePackage[]> {
  const frontmatter = before.map((p) => `'${p.name}': patch`);
  await writeFile(
    join(copy, '.changeset', 'e2e-local-release.md'),
    ['---', ...frontmatter, '---', '', 'e2e: test release to a local registry.', ''].join('\n'),
  );
  await run('pnpm', ['changeset', 'version'], { cwd: copy, timeoutMs: 60_000 });
  const after = await listPackages(copy);
  for (const old of before) {
    const now = after.find((p) => p.name === old.name);
    if (now?.version === old.version || !now)
      throw new Error(`changeset version did not bump ${old.name} (still ${now?.version ?? '?'})`);
  }
  return after;
}

/** `pnpm build` in the copy, after `changeset version` as in a release (dist embeds the version). */
export async function buildCopy(copy: string): Promise<void> {
  await run('pnpm', ['build'], { cwd: copy, timeoutMs: 300_000 });
}

/**
 * `pnpm changeset publish` to the local registry (`npm_config_registry`, a dummy token in the
 * copy's `.npmrc`).
 *
 * Provenance: `publishConfig.provenance: true` needs a CI OIDC identity, and npm applies
 * publishConfig over env and .npmrc (only CLI flags beat it, which `changeset publish` cannot
 * pass), so `NPM_CONFIG_PROVENANCE=false` alone still fails with "Automatic provenance
 * generation not supported for provider: null": the copy's manifests (never the repo's) drop it.
 */
export async function publishCopy(
  copy: string,
  packages: WorkspacePackage[],
  registryUrl: string,
  npmCache: string,
): Promise<void> {
  await appendFile(join(copy, '.npmrc'), `\n//${new URL(registryUrl).host}/:_authToken=dummy\n`);
  for (const pkg of packages) {
    const file = join(copy, pkg.dir, 'package.json');
    const manifest = readJson(file);
    const publishConfig = manifest['publishConfig'] as Record<string, unknown> | undefined;
    if (!publishConfig || !('provenance' in publishConfig)) continue;
    delete publishConfig['provenance'];
    await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  const env = childEnv({
    npm_config_registry: registryUrl,
    NPM_CONFIG_PROVENANCE: 'false',
    npm_config_cache: npmCache,
  });
  await run('pnpm', ['changeset', 'publish'], { cwd: copy, env, timeoutMs: 120_000 });
}
