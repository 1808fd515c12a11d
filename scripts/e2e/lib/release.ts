/**
 * The release half of the proof: a temp copy of the repo is versioned with changesets and
 * published with `changeset publish` to the local registry, exactly as a release would, and the
 * registry is then asked what it got.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { appendFile, copyFile, cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isShuttingDown } from './lifecycle.js';
import { childEnv, run } from './proc.js';

export interface WorkspacePackage {
  name: string;
  /** Path relative to the repo root, e.g. `packages/core-client`. */
  dir: string;
  version: string;
}

export const PACKAGES = ['@dx/core-client', '@dx/downlink-helpers', '@dx/mock'] as const;
const DIST_FILES = ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts'];

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/**
 * The built files a package must ship: a bin-only package (`@dx/cli`: a `bin`, no `.` export)
 * its bin files, a library its four entry points.
 */
function distFilesOf(manifest: Record<string, unknown>): string[] {
  const bin = manifest['bin'];
  const exportsField = manifest['exports'] as Record<string, unknown> | undefined;
  if (bin && typeof bin === 'object' && !exportsField?.['.']) {
    return Object.values(bin as Record<string, string>).map((f) => f.replace(/^\.\//, ''));
  }
  return DIST_FILES;
}

export async function listPackages(root: string): Promise<WorkspacePackage[]> {
  const found: WorkspacePackage[] = [];
  for (const entry of await readdir(join(root, 'packages'), { withFileTypes: true })) {
    const manifest = join(root, 'packages', entry.name, 'package.json');
    if (!entry.isDirectory() || !existsSync(manifest)) continue;
    const pkg = readJson(manifest);
    if (pkg['private'] === true) continue;
    found.push({
      name: String(pkg['name']),
      dir: `packages/${entry.name}`,
      version: String(pkg['version']),
    });
  }
  for (const name of PACKAGES) {
    if (!found.some((p) => p.name === name))
      throw new Error(`no public workspace package named ${name}`);
  }
  return found;
}

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

/** Fails unless every package has its built entry points; warns when dist looks older than src. */
export function checkBuilt(root: string, packages: WorkspacePackage[]): string[] {
  const warnings: string[] = [];
  const missing: string[] = [];
  for (const pkg of packages) {
    for (const f of distFilesOf(readJson(join(root, pkg.dir, 'package.json'))))
      if (!existsSync(join(root, pkg.dir, f))) missing.push(`${pkg.dir}/${f}`);
    const src = newestMtime(join(root, pkg.dir, 'src'));
    const dist = newestMtime(join(root, pkg.dir, 'dist'));
    if (dist > 0 && src > dist)
      warnings.push(`${pkg.dir}/src has files newer than its dist: run pnpm build`);
  }
  if (missing.length > 0) {
    throw new Error(`built files missing (run \`pnpm build\` first):\n  ${missing.join('\n  ')}`);
  }
  return warnings;
}

/**
 * Copies the repo's files as git sees them (tracked plus untracked-but-not-ignored, minus
 * deleted ones) and each package's built `dist/` into `dest`, and makes it a one-commit git repo
 * (changesets reads git for changelog entries and tags releases).
 */
export async function copyRepo(
  root: string,
  dest: string,
  packages: WorkspacePackage[],
): Promise<number> {
  const listed = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    },
  )
    .toString('utf8')
    .split('\0')
    .filter((f) => f !== '');
  let copied = 0;
  for (const rel of new Set(listed)) {
    const from = join(root, rel);
    if (!existsSync(from) || !statSync(from).isFile()) continue;
    await mkdir(dirname(join(dest, rel)), { recursive: true });
    await copyFile(from, join(dest, rel));
    copied++;
  }
  for (const pkg of packages) {
    await cp(join(root, pkg.dir, 'dist'), join(dest, pkg.dir, 'dist'), { recursive: true });
  }
  const git = (...args: string[]): void => {
    execFileSync(
      'git',
      [
        '-c',
        'user.name=dx-e2e',
        '-c',
        'user.email=dx-e2e@localhost',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ],
      {
        cwd: dest,
        stdio: 'ignore',
      },
    );
  };
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', 'e2e snapshot');
  return copied;
}

/** `pnpm install` in the copy, from the store that the repo's own install filled. */
export async function installCopy(copy: string): Promise<string> {
  try {
    await run('pnpm', ['install', '--frozen-lockfile', '--offline'], {
      cwd: copy,
      timeoutMs: 120_000,
    });
    return 'offline from the pnpm store';
  } catch (err) {
    console.log(
      `  offline install failed, retrying with --prefer-offline:\n${String(err).slice(0, 800)}`,
    );
    await run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], {
      cwd: copy,
      timeoutMs: 180_000,
    });
    return 'with --prefer-offline';
  }
}

/** Writes a patch changeset for every package and runs `pnpm changeset version`. */
export async function versionCopy(
  copy: string,
  before: WorkspacePackage[],
): Promise<WorkspacePackage[]> {
  await writeFile(
    join(copy, '.changeset', 'e2e-local-release.md'),
    [
      '---',
      ...PACKAGES.map((p) => `'${p}': patch`),
      '---',
      '',
      'e2e: test release to a local registry.',
      '',
    ].join('\n'),
  );
  await run('pnpm', ['changeset', 'version'], { cwd: copy, timeoutMs: 60_000 });
  const after = await listPackages(copy);
  for (const name of PACKAGES) {
    const old = before.find((p) => p.name === name);
    const now = after.find((p) => p.name === name);
    if (!old || !now || old.version === now.version) {
      throw new Error(`changeset version did not bump ${name} (still ${now?.version ?? '?'})`);
    }
  }
  return after;
}

/**
 * The copied dist was built before `changeset version`; it must be rebuilt only if the build
 * output depends on the version, which shows as the old version string inside dist. Set
 * `E2E_REBUILD=1` to rebuild anyway.
 */
export async function rebuildIfNeeded(copy: string, before: WorkspacePackage[]): Promise<string> {
  const reasons: string[] = [];
  if (process.env['E2E_REBUILD'] === '1') reasons.push('E2E_REBUILD=1');
  for (const pkg of before) {
    const distDir = join(copy, pkg.dir, 'dist');
    for (const f of await readdir(distDir, { recursive: true })) {
      const file = join(distDir, String(f));
      if (!statSync(file).isFile() || f.toString().endsWith('.map')) continue;
      if ((await readFile(file, 'utf8')).includes(pkg.version)) {
        reasons.push(`${pkg.dir}/dist/${String(f)} embeds the old version ${pkg.version}`);
      }
    }
  }
  if (reasons.length === 0)
    return 'not needed: dist does not embed the version; publishing the CI build';
  await run('pnpm', ['build'], { cwd: copy, timeoutMs: 180_000 });
  return `rebuilt (${reasons.join('; ')})`;
}

/**
 * `pnpm changeset publish` to the local registry. The registry comes from `npm_config_registry`,
 * the (dummy) token from the copy's `.npmrc`.
 *
 * Provenance: the packages' `publishConfig.provenance: true` needs a CI OIDC identity, and npm
 * applies publishConfig over env and .npmrc settings (only CLI flags beat it), which
 * `changeset publish` cannot pass. So `NPM_CONFIG_PROVENANCE=false` alone still fails with
 * "Automatic provenance generation not supported for provider: null"; the copy's manifests drop
 * `publishConfig.provenance` before publishing (the copy only, never the repo).
 */
export async function publishCopy(
  copy: string,
  packages: WorkspacePackage[],
  registryUrl: string,
  npmCache: string,
): Promise<string[]> {
  const host = new URL(registryUrl).host;
  await appendFile(join(copy, '.npmrc'), `\n//${host}/:_authToken=dummy\n`);
  const notes: string[] = [];
  for (const pkg of packages) {
    const file = join(copy, pkg.dir, 'package.json');
    const manifest = readJson(file);
    const publishConfig = manifest['publishConfig'] as Record<string, unknown> | undefined;
    if (publishConfig && 'provenance' in publishConfig) {
      delete publishConfig['provenance'];
      await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
      notes.push(`${pkg.name}: publishConfig.provenance dropped in the copy (no OIDC here)`);
    }
  }
  const env = childEnv({
    npm_config_registry: registryUrl,
    NPM_CONFIG_PROVENANCE: 'false',
    npm_config_cache: npmCache,
  });
  const { stdout, stderr } = await run('pnpm', ['changeset', 'publish'], {
    cwd: copy,
    env,
    timeoutMs: 120_000,
  });
  const out = stdout + stderr;
  for (const pkg of packages) {
    if (!out.includes(`${pkg.name}@${pkg.version}`)) {
      throw new Error(
        `changeset publish did not report ${pkg.name}@${pkg.version}:\n${out.slice(-2000)}`,
      );
    }
    notes.push(`published ${pkg.name}@${pkg.version} to ${registryUrl}`);
  }
  return notes;
}

/**
 * Asks the registry what it holds: every version is there, each tarball carries the four
 * entry points, and no `workspace:` range survived in a published manifest.
 */
export async function verifyRegistry(
  packages: WorkspacePackage[],
  registryUrl: string,
  workDir: string,
  npmCache: string,
): Promise<string[]> {
  const notes: string[] = [];
  const env = childEnv({ npm_config_cache: npmCache });
  await mkdir(workDir, { recursive: true });
  for (const pkg of packages) {
    const spec = `${pkg.name}@${pkg.version}`;
    const view = await run('npm', ['view', spec, 'version', '--registry', registryUrl], {
      cwd: workDir,
      env,
      timeoutMs: 30_000,
    });
    if (view.stdout.trim() !== pkg.version) {
      throw new Error(`npm view ${spec} version answered ${JSON.stringify(view.stdout.trim())}`);
    }
    const packed = await run(
      'npm',
      ['pack', spec, '--registry', registryUrl, '--pack-destination', workDir, '--json'],
      {
        cwd: workDir,
        env,
        timeoutMs: 30_000,
      },
    );
    const [info] = JSON.parse(packed.stdout) as { filename: string }[];
    if (!info) throw new Error(`npm pack ${spec} returned nothing`);
    const tgz = join(workDir, info.filename);
    const files = execFileSync('tar', ['-tzf', tgz]).toString('utf8').split('\n');
    const manifestText = execFileSync('tar', ['-xzOf', tgz, 'package/package.json']).toString(
      'utf8',
    );
    const expected = distFilesOf(JSON.parse(manifestText) as Record<string, unknown>);
    for (const f of expected) {
      if (!files.includes(`package/${f}`)) throw new Error(`${spec} tarball lacks ${f}`);
    }
    if (manifestText.includes('workspace:')) {
      throw new Error(
        `${spec}: published package.json still has a workspace: range:\n${manifestText}`,
      );
    }
    const manifest = JSON.parse(manifestText) as { dependencies?: Record<string, string> };
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
      const inner = packages.find((p) => p.name === dep);
      if (inner && !range.includes(inner.version)) {
        throw new Error(`${spec} depends on ${dep}@${range}, which does not name ${inner.version}`);
      }
      if (inner) notes.push(`${spec} depends on ${dep}@${range}`);
    }
    notes.push(
      `${spec}: npm view finds it; tarball has ${files.filter((f) => f.startsWith('package/')).length} files incl. ${expected.join(', ')}; no workspace: range`,
    );
  }
  return notes;
}
