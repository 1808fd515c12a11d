/**
 * Headless Chromium for the browser consumer: Debian's `/usr/bin/chromium` driven by the
 * monorepo's playwright-core (never `playwright install`: nothing is downloaded), a fresh
 * user-data-dir per run, and a tiny static server on 127.0.0.1 for the page.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { chromium } from 'playwright-core';
import { isShuttingDown, onCleanup, removeAtCleanup } from './lifecycle.js';
import { run } from './proc.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Makes sure `/usr/bin/chromium` exists. Installs Debian's package only when running as root
 * with `CI` set (the CI machine); anywhere else a missing browser is a clear failure.
 */
export async function ensureChromium(): Promise<string> {
  if (existsSync(CHROMIUM)) return 'present';
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !process.env['CI']) {
    throw new Error(
      `${CHROMIUM} not found. Install Debian's package: \`sudo apt-get install -y chromium\` ` +
        '(or run as root with CI=true to let this script install it). Never `playwright install`.',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { cwd: '/', env, timeoutMs: 180_000 });
  await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
    cwd: '/',
    env,
    timeoutMs: 400_000,
  });
  if (!existsSync(CHROMIUM))
    throw new Error(`apt-get install chromium did not provide ${CHROMIUM}`);
  return 'installed with apt-get';
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

/** Serves the files of `dir` (no listing, no `..`) on 127.0.0.1 at a free port. */
export async function serveStatic(
  dir: string,
): Promise<{ origin: string; close(): Promise<void> }> {
  const root = normalize(dir + sep);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (data) => {
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(data);
      },
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  onCleanup('stop static server', close);
  return { origin: `http://127.0.0.1:${port}`, close };
}

export interface PageOutcome {
  ok: boolean;
  result?: unknown;
  error?: string;
  /** Console messages and page errors, for the log. */
  console: string[];
}

/** Opens `url` in a fresh headless Chromium and waits for the page to set `window.__dxE2E`. */
export async function runPage(url: string, timeoutMs: number): Promise<PageOutcome> {
  if (isShuttingDown()) throw new Error('not starting chromium: the run is shutting down');
  const userDataDir = await mkdtemp(join(tmpdir(), 'dx-e2e-chromium-'));
  removeAtCleanup(userDataDir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
    // The runner's own handlers close the browser and then remove the temp dirs; playwright's
    // would exit the process first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const closeBrowser = onCleanup('close chromium', () => context.close());
  const messages: string[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => messages.push(`console.${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) =>
      messages.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`),
    );
    await page.goto(url, { timeout: timeoutMs });
    await page.waitForFunction(() => window.__dxE2E !== undefined, undefined, {
      timeout: timeoutMs,
    });
    const outcome = await page.evaluate(() => window.__dxE2E!);
    return { ...outcome, console: messages };
  } catch (err) {
    return {
      ok: false,
      error: err instanceof Error ? err.message : String(err),
      console: messages,
    };
  } finally {
    await closeBrowser();
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

declare global {
  interface Window {
    __dxE2E?: { ok: boolean; result?: unknown; error?: string };
  }
}
