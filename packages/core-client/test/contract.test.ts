import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, DxCoreClient, type DownlinkMessage } from '../src/index.js';
import { unusedPort } from '../../../scripts/test-support/http-server.js';

/**
 * Contract test: Prism serves a mock generated from the committed OpenAPI 3 document and
 * validates every request against it, so a client that drifts from the spec fails here.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC = `${ROOT}specs/dx-core/openapi.yaml`;
const PRISM = `${ROOT}node_modules/.bin/prism`;

let prism: ChildProcess | undefined;
let base = '';

beforeAll(async () => {
  const port = await unusedPort();
  base = `http://127.0.0.1:${port}`;
  prism = spawn(PRISM, ['mock', '--host', '127.0.0.1', '--port', String(port), SPEC], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    prism?.stdout?.on('data', onData);
    prism?.stderr?.on('data', onData);
    prism?.on('exit', (code) => reject(new Error(`Prism exited with ${code}:\n${output}`)));
  });
}, 40_000);

afterAll(async () => {
  if (!prism || prism.exitCode !== null) return;
  const exited = new Promise((resolve) => prism?.once('exit', resolve));
  prism.kill('SIGTERM');
  await exited;
});

const MESSAGE: DownlinkMessage = { payloadHex: '03670110', targetPorts: '2' };

describe('contract with the OpenAPI document (Prism mock)', () => {
  it('accepts what the client sends and answers with the documented response', async () => {
    const client = new DxCoreClient({ BASE: base, TOKEN: 'test-token' });
    const result = await client.downlink.sendDownlinkMessage({
      device: '0018B20000000B20',
      requestBody: { ...MESSAGE, securityParams: { asId: 'as-1', asKey: 'key' } },
      confirmDownlink: true,
      flushDownlinkQueue: true,
    });
    expect(result.status).toBe('QUEUED');
  });

  it('rejects a body that breaks the schema, listing the violations', async () => {
    const client = new DxCoreClient({ BASE: base, TOKEN: 'test-token' });
    const wrong = { payloadHex: '01G2', targetPorts: 2 } as unknown as DownlinkMessage;
    const error = await client.downlink
      .sendDownlinkMessage({ device: 'd1', requestBody: wrong })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
  });

  it('rejects a request without the OAuth2 bearer token', async () => {
    const client = new DxCoreClient({ BASE: base });
    const error = await client.downlink
      .sendDownlinkMessage({ device: 'd1', requestBody: MESSAGE })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
  });
});
