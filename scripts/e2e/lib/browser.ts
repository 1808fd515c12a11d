/**
 * Headless Chromium for the browser consumer: Debian's `/usr/bin/chromium` (`.ci/run` installs
 * it with apt-get; never `playwright install`) driven by the monorepo's playwright-core, a fresh
 * user-data-dir per run, and the page served from its own origin on 127.0.0.1, so that its calls
 * to the DX mock are cross-origin (CORS) as in a real app.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { isShuttingDown, onCleanup, removeAtCleanup } from './proc.js';

const CHROMIUM = '/usr/bin/chromium';
const TYPES: Record<string, string> = {
  html: 'text/html',
  js: 'text/javascript',
  map: 'application/json',
};

/** Serves `index.html`, `bundle.js` and its map from `dir` on 127.0.0.1. */
async function serveStatic(dir: string): Promise<string> {
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
    if (!['index.html', 'bundle.js', 'bundle.js.map'].includes(name))
      return res.writeHead(404).end();
    void readFile(join(dir, name)).then(
      (data) =>
        res
          .writeHead(200, { 'Content-Type': `${TYPES[name.split('.').pop()!]}; charset=utf-8` })
          .end(data),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup('stop static server', () => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Opens `index.html?<query>` from `dir` in a fresh headless Chromium and returns what the page
 * set as `window.__dxE2E`; throws with the page's console and errors when it failed.
 */
export async function runPage(dir: string, query: Record<string, string>): Promise<unknown> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} not found: \`apt-get install -y chromium\` (never \`playwright install\`)`,
    );
  if (isShuttingDown()) throw new Error('not starting chromium: the run is shutting down');
  const origin = await serveStatic(dir);
  const userDataDir = await mkdtemp(join(tmpdir(), 'dx-e2e-chromium-'));
  removeAtCleanup(userDataDir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 30_000,
    // The runner's own handlers close the browser, then remove the temp dirs.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const closeBrowser = onCleanup('close chromium', () => context.close());
  const log: string[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) =>
      log.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`),
    );
    await page.goto(`${origin}/index.html?${new URLSearchParams(query)}`, { timeout: 30_000 });
    await page.waitForFunction(() => window.__dxE2E !== undefined, undefined, { timeout: 30_000 });
    const outcome = await page.evaluate(() => window.__dxE2E!);
    if (!outcome.ok) throw new Error(outcome.error ?? 'no detail');
    return outcome.result;
  } catch (err) {
    throw new Error(
      `the page failed: ${err instanceof Error ? err.message : String(err)}\n  ${log.join('\n  ')}`,
    );
  } finally {
    await closeBrowser();
  }
}

declare global {
  interface Window {
    __dxE2E?: { ok: boolean; result?: unknown; error?: string };
  }
}
