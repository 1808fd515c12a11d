import { readFileSync } from 'node:fs';
import { DEFAULT_BASE_URL, DEFAULT_TOKEN_URL } from '@dx/core-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DX_CORE_SPEC, type OpenApiDocument } from '../src/index.js';
import { dxHandlers } from '../src/msw.js';
import { mockServer, postDownlink, tokenFor, VALID_BODY } from './support.js';

const SPEC_FILE = new URL('../../../specs/dx-core/openapi.yaml', import.meta.url);

describe('the spec the package ships', () => {
  it('is the committed specs/dx-core/openapi.yaml, not a stale copy', () => {
    expect(DX_CORE_SPEC).toEqual(parse(readFileSync(SPEC_FILE, 'utf8')));
  });

  it("gives msw handlers createDxClient's default URLs", () => {
    const dx = dxHandlers();
    expect(dx.url).toBe(DEFAULT_BASE_URL);
    expect(dx.tokenUrl).toBe(DEFAULT_TOKEN_URL);
  });
});

/**
 * The DX spec plus an operation the mock has never heard of. Its path, operationId and schema
 * live under a `testFixture` prefix no DX operation uses, so a real operation added to the spec
 * later (`GET /devices/{deviceRef}` named `getDevice`) can never be overwritten by it; should
 * the spec ever hold one of these names, the fixture refuses rather than replaces it.
 */
const FIXTURE_PATH = '/testFixtureGadgets/{gadgetRef}';
const FIXTURE_OPERATION = 'testFixtureGetGadget';
const FIXTURE_SCHEMA = 'TestFixtureGadget';

function specWithGadgetLookup(): OpenApiDocument {
  const spec = structuredClone(DX_CORE_SPEC);
  const schemas = (spec.components!['schemas'] ??= {});
  const operationIds = Object.values(spec.paths).flatMap((item) =>
    Object.values(item ?? {}).map((op) => (op as { operationId?: string }).operationId),
  );
  if (
    FIXTURE_PATH in spec.paths ||
    FIXTURE_SCHEMA in schemas ||
    operationIds.includes(FIXTURE_OPERATION)
  )
    throw new Error('the DX spec now has a name of the test fixture: rename the fixture');
  spec.paths[FIXTURE_PATH] = {
    get: {
      operationId: FIXTURE_OPERATION,
      parameters: [
        { in: 'path', name: 'gadgetRef', required: true, schema: { type: 'string' } },
        { in: 'query', name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 10 } },
      ],
      responses: {
        '200': {
          description: 'the gadget',
          content: {
            'application/json': { schema: { $ref: `#/components/schemas/${FIXTURE_SCHEMA}` } },
          },
        },
      },
    },
  };
  schemas[FIXTURE_SCHEMA] = {
    type: 'object',
    required: ['ref'],
    properties: {
      ref: { type: 'string', example: 'gadget-1' },
      lastSeen: { type: 'string', format: 'date-time' },
      battery: { type: 'integer', minimum: 0 },
      tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
    },
  };
  return spec;
}

describe('driven by the spec', () => {
  it('serves an operation added to the spec, with an answer built from its response schema', async () => {
    const mock = await mockServer({ spec: specWithGadgetLookup() });
    const token = await tokenFor(mock);
    const headers = { authorization: `Bearer ${token}` };
    const res = await fetch(`${mock.url}/testFixtureGadgets/g1?limit=3`, { headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ref: 'gadget-1',
      lastSeen: '2026-01-01T00:00:00.000Z',
      battery: 0,
      tags: ['a'],
    });
    const bad = await fetch(`${mock.url}/testFixtureGadgets/g1?limit=11`, { headers });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      field: 'query.limit',
      message: 'query.limit must be <= 10',
    });
    expect((await fetch(`${mock.url}/testFixtureGadgets/g1`)).status).toBe(401);
    expect(mock.requests.at(-1)).toMatchObject({ operationId: FIXTURE_OPERATION, auth: 'missing' });
  });

  it('lets a handler answer an operation, given the validated request and the default answer', async () => {
    const seen: unknown[] = [];
    const mock = await mockServer({
      handlers: {
        sendDownlinkMessage: (request, answer) => {
          seen.push({ query: request.query, device: request.pathParams['device'], answer });
          return request.body && (request.body as { payloadHex: string }).payloadHex === 'FF'
            ? { status: 404, body: { code: 'no_such_device', message: 'unknown device' } }
            : { ...answer, headers: { 'x-extra': 'yes' } };
        },
      },
    });
    const token = await tokenFor(mock);
    const ok = await postDownlink(mock, token, VALID_BODY, { query: '?confirmDownlink=true' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-extra')).toBe('yes');
    expect(seen[0]).toMatchObject({
      query: { confirmDownlink: true },
      device: '0018B20000000B20',
      answer: { status: 200, body: { status: 'QUEUED', id: 'dl-1' } },
    });
    const missing = await postDownlink(mock, token, { payloadHex: 'FF', targetPorts: '2' });
    expect(missing.status).toBe(404);
    expect(mock.downlinks).toHaveLength(1);
    expect(mock.requests.at(-1)).toMatchObject({ status: 404, queued: false });
  });

  it('answers 500 naming the operation when a handler throws or returns no status', async () => {
    const mock = await mockServer({
      handlers: {
        sendDownlinkMessage: (request) => {
          if ((request.body as { targetPorts: string }).targetPorts === '3')
            throw new Error('boom');
          return {} as never;
        },
      },
    });
    const token = await tokenFor(mock);
    const thrown = await postDownlink(mock, token, { payloadHex: '01', targetPorts: '3' });
    expect(thrown).toMatchObject({ status: 500, body: { code: 'handler_error' } });
    expect(thrown.body['message']).toBe('the handler of sendDownlinkMessage threw: boom');
    const empty = await postDownlink(mock, token);
    expect(empty.status).toBe(500);
    expect(empty.body['message']).toContain('returned no status');
  });
});

describe('the README', () => {
  it('opens with the example in test/readme-example.test.ts, which runs as a test', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./readme-example.test.ts', import.meta.url), 'utf8');
    const firstBlock = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(firstBlock).toBe(example);
  });
});
