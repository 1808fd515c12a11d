/**
 * The consumption half of the proof: fresh projects made from `scripts/e2e/consumers/<name>/`
 * install the @dx packages from the local registry with plain `npm install`, send one Cayenne LPP
 * downlink with `sendDownlink` to a DX mock, and the runner checks what the mock recorded. Build
 * tools (tsc, esbuild, @types/node, playwright-core) are the monorepo's own: the proof is about
 * the @dx packages, not about those tools.
 */
import { cp, mkdir, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startDxMock, type DxMock, type DxRequestRecord } from '@dx/mock';
import { runPage } from './browser.js';
import { checkArrivals, CLIENT_ID, CLIENT_SECRET, DEVICE } from './expect.js';
import { childEnv, onCleanup, run } from './proc.js';
import { installFromRegistry } from './registry.js';

const require = createRequire(import.meta.url);
const TSC = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const TYPES_NODE = dirname(require.resolve('@types/node/package.json'));
const LIBRARIES = ['@dx/core-client', '@dx/downlink-helpers'];

export interface Consumer {
  name: string;
  title: string;
  /** What it proves, once it has passed. */
  run(dir: string, registryUrl: string, versions: Record<string, string>): Promise<string[]>;
}

/** Runs a Node consumer; it prints `E2E_RESULT <json>`. */
async function nodeResult(dir: string, entry: string, mock?: DxMock): Promise<unknown> {
  const env = mock ? childEnv({ DX_BASE_URL: mock.url, DX_TOKEN_URL: mock.tokenUrl }) : childEnv();
  const { stdout } = await run(process.execPath, [entry], { cwd: dir, env, timeoutMs: 30_000 });
  const line = stdout.split('\n').find((l) => l.startsWith('E2E_RESULT '));
  if (!line) throw new Error(`the consumer printed no E2E_RESULT line:\n${stdout.slice(-1500)}`);
  return JSON.parse(line.slice('E2E_RESULT '.length)) as unknown;
}

const tsc = (dir: string, ...args: string[]): Promise<unknown> =>
  run(process.execPath, [TSC, '-p', dir, '--pretty', 'false', ...args], {
    cwd: dir,
    timeoutMs: 90_000,
  });

/** The consumer got the mock's QUEUED answer and the mock recorded exactly the expected calls. */
function check(result: unknown, requests: DxRequestRecord[], browser = false): void {
  const body = result as { status?: unknown; device?: unknown } | undefined;
  const problems = checkArrivals(requests, { browser });
  if (body?.status !== 'QUEUED' || body.device !== DEVICE)
    problems.push(
      `the consumer got ${JSON.stringify(result)}, expected status QUEUED for ${DEVICE}`,
    );
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/** Starts the runner's DX mock, runs `send` against it and checks what it recorded. */
async function withMock(send: (mock: DxMock) => Promise<unknown>, browser = false): Promise<void> {
  const mock = await startDxMock({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  const stop = onCleanup('stop dx-mock', () => mock.close());
  try {
    check(await send(mock), mock.requests, browser);
  } finally {
    await stop();
  }
}

async function install(
  dir: string,
  registryUrl: string,
  versions: Record<string, string>,
  packages: string[],
): Promise<string> {
  await cp(join(import.meta.dirname, '..', 'consumers', dir.split('/').pop()!), dir, {
    recursive: true,
  });
  return `npm installed ${await installFromRegistry(
    dir,
    registryUrl,
    packages.map((p) => `${p}@${versions[p]}`),
  )}`;
}

export const CONSUMERS: Consumer[] = [
  {
    name: 'node-cjs',
    title: 'Node CommonJS JavaScript (require)',
    async run(dir, registryUrl, versions) {
      const notes = [await install(dir, registryUrl, versions, LIBRARIES)];
      await withMock((mock) => nodeResult(dir, 'index.cjs', mock));
      return notes;
    },
  },
  {
    name: 'ts-node16',
    title: 'TypeScript node16 strict, tsc + node (ESM), its own @dx/mock',
    async run(dir, registryUrl, versions) {
      const notes = [await install(dir, registryUrl, versions, [...LIBRARIES, '@dx/mock'])];
      await mkdir(join(dir, 'node_modules', '@types'), { recursive: true });
      await symlink(TYPES_NODE, join(dir, 'node_modules', '@types', 'node'), 'dir');
      await tsc(dir);
      notes.push('tsc passed (strict, 4 @ts-expect-error misuses)');
      // It starts its own mock (startDxMock from the registry) and prints what it recorded.
      const out = (await nodeResult(dir, join('dist', 'index.js'))) as {
        result: unknown;
        requests: DxRequestRecord[];
      };
      check(out.result, out.requests);
      return notes;
    },
  },
  {
    name: 'browser-esbuild',
    title: 'TypeScript bundler + esbuild, headless Chromium',
    async run(dir, registryUrl, versions) {
      const notes = [await install(dir, registryUrl, versions, LIBRARIES)];
      await tsc(dir, '--noEmit');
      const esbuild = await import('esbuild');
      const { metafile } = await esbuild.build({
        absWorkingDir: dir,
        entryPoints: ['src/main.ts'],
        outfile: 'public/bundle.js',
        bundle: true,
        platform: 'browser',
        format: 'esm',
        target: 'es2022',
        sourcemap: true,
        metafile: true,
        logLevel: 'silent',
      });
      // A bundler must pick the ESM entries (tree-shakable), not the CommonJS ones.
      for (const pkg of LIBRARIES) {
        if (!(`node_modules/${pkg}/dist/index.js` in metafile.inputs))
          throw new Error(
            `esbuild did not bundle ${pkg}/dist/index.js; inputs: ${Object.keys(metafile.inputs).join(', ')}`,
          );
      }
      notes.push('tsc --noEmit passed; esbuild bundled the ESM entries');
      await withMock(
        (mock) => runPage(join(dir, 'public'), { baseUrl: mock.url, tokenUrl: mock.tokenUrl }),
        true,
      );
      return notes;
    },
  },
];
