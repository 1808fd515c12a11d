import { describe, expect, it } from 'vitest';
import { DX_CORE_SPEC, startDxMock } from '../src/index.js';
import type { OpenApiOperation } from '../src/spec/openapi-types.js';
import { DEVICE, mockServer, NO_BODY, postDownlink, tokenFor, VALID_BODY } from './support.js';

/**
 * Raw `fetch`, no client: what the mock answers to requests a buggy client could send. Each
 * answer is the spec's status with an `ErrorResponse` (`code`, `message`) naming the field.
 */
describe('bad requests get the spec status and a message naming the field', () => {
  it.each([
    ['odd-length hex', { ...VALID_BODY, payloadHex: '036' }, 'requestBody.payloadHex'],
    ['non-hex digits', { ...VALID_BODY, payloadHex: '03zz' }, 'requestBody.payloadHex'],
    [
      'more than 242 bytes',
      { ...VALID_BODY, payloadHex: '00'.repeat(243) },
      'requestBody.payloadHex',
    ],
    ['a numeric targetPorts', { ...VALID_BODY, targetPorts: 2 }, 'requestBody.targetPorts'],
    ['no targetPorts', { payloadHex: '01' }, 'requestBody.targetPorts'],
    ['an array body', [VALID_BODY], 'requestBody'],
    [
      'securityParams without asKey',
      { ...VALID_BODY, securityParams: { asId: 'as' } },
      'requestBody.securityParams.asKey',
    ],
  ])('400 for %s', async (_what, body, field) => {
    const mock = await mockServer();
    const res = await postDownlink(mock, await tokenFor(mock), body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_request', field });
    expect(res.body['message']).toMatch(new RegExp(`^${field.replaceAll('.', '\\.')} `));
    expect(mock.downlinks).toEqual([]);
  });

  it('400 for a missing body, naming requestBody', async () => {
    const mock = await mockServer();
    const res = await postDownlink(mock, await tokenFor(mock), NO_BODY, { contentType: null });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'invalid_request',
      field: 'requestBody',
      message: 'requestBody is required',
    });
  });

  it('400 for a body that is not JSON', async () => {
    const mock = await mockServer();
    const res = await postDownlink(mock, await tokenFor(mock), '{"payloadHex":');
    expect(res.status).toBe(400);
    expect(res.body['message']).toBe('requestBody is not valid JSON');
  });

  it('400 for a body that is not valid UTF-8, rather than reading it as U+FFFD', async () => {
    const mock = await mockServer();
    const json = new TextEncoder().encode(JSON.stringify({ ...VALID_BODY, note: '#' }));
    json[json.indexOf(0x23)] = 0xff; // a lone byte no UTF-8 text contains
    const res = await fetch(`${mock.url}/devices/${DEVICE}/downlinkMessages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await tokenFor(mock)}`,
        'content-type': 'application/json',
      },
      body: json,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      code: 'invalid_request',
      message: 'the body is not valid UTF-8',
    });
    expect(mock.downlinks).toEqual([]);
    expect(mock.requests.at(-1)).toMatchObject({ status: 400, body: undefined });
  });

  it('400 for a wrong content type: the spec declares no 415', async () => {
    const mock = await mockServer();
    const res = await postDownlink(mock, await tokenFor(mock), JSON.stringify(VALID_BODY), {
      contentType: 'text/plain',
    });
    expect(res.status).toBe(400);
    const operation = DX_CORE_SPEC.paths['/devices/{device}/downlinkMessages']?.['post'];
    const declared = Object.keys((operation as OpenApiOperation).responses ?? {});
    expect(declared).toContain(String(res.status));
    expect(declared).not.toContain('415');
    expect(res.body).toMatchObject({
      code: 'unsupported_media_type',
      field: 'header.content-type',
    });
    expect(res.body['message']).toContain('application/json');
  });

  it.each([
    ['?confirmDownlink=true&confirmDownlink=false', 'query.confirmDownlink'],
    ['?confirmDownlink=true&confirmDownlink=true', 'query.confirmDownlink'],
    [
      '?flushDownlinkQueue=false&confirmDownlink=true&flushDownlinkQueue=false',
      'query.flushDownlinkQueue',
    ],
  ])('400 for a scalar query parameter given twice: %s', async (query, field) => {
    const mock = await mockServer();
    const res = await postDownlink(mock, await tokenFor(mock), VALID_BODY, { query });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_request', field });
    expect(res.body['message']).toMatch(/given 2 times; give it once/);
    expect(mock.downlinks).toEqual([]);
  });

  it('400 for a query flag that is not a boolean', async () => {
    const mock = await mockServer();
    const res = await postDownlink(mock, await tokenFor(mock), VALID_BODY, {
      query: '?confirmDownlink=yes',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ field: 'query.confirmDownlink' });
    expect(res.body['message']).toBe('query.confirmDownlink must be boolean');
  });

  it('400 for a path segment that is not valid percent-encoding', async () => {
    const mock = await mockServer();
    const res = await postDownlink(mock, await tokenFor(mock), VALID_BODY, { device: '%E0%A4%A' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ field: 'path.device' });
  });

  it('401 for a missing token, a token it never issued, and one from another mock', async () => {
    const mock = await mockServer();
    const other = await mockServer();
    const missing = await postDownlink(mock, undefined);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(missing.body['message']).toMatch(/Bearer .* is missing/);
    const forged = await postDownlink(mock, 'not-a-token');
    expect(forged.status).toBe(401);
    expect(forged.body['message']).toBe('the bearer token was not issued by this server');
    expect((await postDownlink(mock, await tokenFor(other))).status).toBe(401);
    expect(mock.requests.map((r) => r.auth)).toEqual(['missing', 'invalid', 'invalid']);
    expect(mock.downlinks).toEqual([]);
  });

  it('401 at the token endpoint for a wrong secret, and the secret is not recorded', async () => {
    const mock = await mockServer();
    await expect(tokenFor(mock, 'wrong-secret')).rejects.toThrow('token: 401');
    const [record] = mock.requests;
    expect(record).toMatchObject({ endpoint: 'token', status: 401 });
    expect(record?.error).toEqual({
      code: 'invalid_client',
      message: 'client authentication failed',
    });
    expect(JSON.stringify(mock.requests)).not.toContain('wrong-secret');
  });

  it('404 for an unknown path, under the base URL and outside it', async () => {
    const mock = await mockServer();
    const token = await tokenFor(mock);
    for (const url of [`${mock.url}/devices`, `${mock.origin}/elsewhere`]) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe('not_found');
    }
  });

  it('405 with Allow for a wrong method on a known path', async () => {
    const mock = await mockServer();
    const res = await fetch(`${mock.url}/devices/${DEVICE}/downlinkMessages`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('never echoes a secret body field in an error', async () => {
    const mock = await mockServer();
    const res = await postDownlink(mock, await tokenFor(mock), {
      ...VALID_BODY,
      securityParams: { asId: 'as', asKey: 7 },
    });
    expect(res.status).toBe(400);
    expect(res.body['field']).toBe('requestBody.securityParams.asKey');
    const secret = await postDownlink(mock, await tokenFor(mock), {
      ...VALID_BODY,
      payloadHex: 'zz',
      securityParams: { asId: 'as', asKey: 'TOP-SECRET-KEY' },
    });
    expect(JSON.stringify(secret.body)).not.toContain('TOP-SECRET-KEY');
    expect(JSON.stringify(mock.requests)).not.toContain('TOP-SECRET-KEY');
  });
});

describe('valid requests are recorded', () => {
  it('records the request with secrets redacted, and the downlink as queued', async () => {
    const mock = await mockServer();
    const token = await tokenFor(mock);
    const res = await postDownlink(
      mock,
      token,
      { payloadHex: '03670110', targetPorts: '2', securityParams: { asId: 'as-1', asKey: 'k3y' } },
      { query: '?confirmDownlink=true&flushDownlinkQueue=false' },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: 'dl-1',
      status: 'QUEUED',
      device: DEVICE,
      payloadHex: '03670110',
      targetPorts: '2',
    });
    const record = mock.requests[1]!;
    expect(record).toMatchObject({
      seq: 2,
      method: 'POST',
      path: `/core/latest/api/devices/${DEVICE}/downlinkMessages`,
      query: { confirmDownlink: 'true', flushDownlinkQueue: 'false' },
      endpoint: 'api',
      operationId: 'sendDownlinkMessage',
      auth: 'valid',
      outcome: 'answered',
      status: 200,
      queued: true,
      downlinkId: 'dl-1',
      body: {
        payloadHex: '03670110',
        targetPorts: '2',
        securityParams: { asId: 'as-1', asKey: '[redacted]' },
      },
    });
    expect(record.headers['authorization']).toBe('Bearer [redacted]');
    expect(JSON.stringify(mock.requests)).not.toContain(token);
    expect(mock.requests[0]!.body).toMatchObject({ client_secret: '[redacted]' });
    expect(mock.downlinks).toEqual([
      {
        id: 'dl-1',
        requestSeq: 2,
        device: DEVICE,
        payloadHex: '03670110',
        bytes: new Uint8Array([0x03, 0x67, 0x01, 0x10]),
        fPort: 2,
        fPorts: [2],
        confirm: true,
        flush: false,
        securityParams: true,
        receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    ]);
  });

  it('accepts lower-case hex and a port list, as the spec allows', async () => {
    const mock = await mockServer();
    const res = await postDownlink(mock, await tokenFor(mock), {
      payloadHex: 'abCD',
      targetPorts: '2,15',
    });
    expect(res.status).toBe(200);
    expect(mock.downlinks[0]).toMatchObject({
      fPort: 2,
      fPorts: [2, 15],
      bytes: new Uint8Array([0xab, 0xcd]),
    });
  });

  it('accepts HTTP Basic client authentication at the token endpoint', async () => {
    const mock = await mockServer({ clientId: 'tpk/me', clientSecret: 's:3cret' });
    const res = await fetch(mock.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa('tpk%2Fme:s%3A3cret')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    expect(mock.requests[0]!.headers['authorization']).toBe('Basic [redacted]');
  });

  it('clearRecords empties both lists in place', async () => {
    const mock = await mockServer();
    const { requests, downlinks } = mock;
    await postDownlink(mock, await tokenFor(mock));
    mock.clearRecords();
    expect(requests).toHaveLength(0);
    expect(downlinks).toHaveLength(0);
    expect(mock.requests).toBe(requests);
  });
});

describe('options', () => {
  it.each(['0.0.0.0', '192.168.1.2', 'localhost', '::'])('refuses host %s', async (host) => {
    await expect(startDxMock({ host })).rejects.toThrow(/options\.host must be a 127\.0\.0\.0\/8/);
  });

  it('refuses a handler for an operation the spec does not have', async () => {
    await expect(
      startDxMock({ handlers: { sendDownlinkMesage: () => ({ status: 200 }) } }),
    ).rejects.toThrow('options.handlers.sendDownlinkMesage is not an operation of the spec');
  });

  it.each([
    [{ clientSecret: '' }, 'options.clientSecret must be a non-empty string'],
    [{ latencyMs: -1 }, 'latencyMs must be a non-negative number'],
    [{ rateLimit: { perSecond: 0 } }, 'rateLimit.perSecond must be a positive number'],
    [{ rateLimit: { perSecond: 1, burst: 1.5 } }, 'rateLimit.burst must be a non-negative integer'],
    [{ faults: [{ fault: 'explode', next: 1 }] }, 'fault must be one of too-many-requests'],
    [
      {
        faults: [
          { fault: 'timeout', next: 1 },
          { fault: 'timeout', share: 2 },
        ],
      },
      'options.faults[1].share must be a number from 0 to 1; got 2',
    ],
    [
      { faults: [5] },
      'options.faults[0] must be a fault rule, { fault, next } or { fault, share }',
    ],
    [
      { faults: [{ fault: 'redirect', next: 1, location: 7 }] },
      'options.faults[0].location must be a string; got 7',
    ],
    [{ now: 1_700_000_000_000 }, 'options.now must be a function; got 1700000000000'],
    [{ log: 'yes' }, 'options.log must be a function; got "yes"'],
    [{ port: 70000 }, 'options.port must be an integer from 0 to 65535'],
    [{ tokenLifetimeSeconds: 0 }, 'options.tokenLifetimeSeconds must be a positive integer'],
    [{ spec: { openapi: '2.0', paths: {} } }, 'options.spec must be an OpenAPI 3.0 document'],
    [
      { handlers: { sendDownlinkMessage: 'yes' } },
      'options.handlers.sendDownlinkMessage must be a function',
    ],
    [null, 'options must be an object; got null'],
  ])('refuses %j', async (options, message) => {
    await expect(startDxMock(options as never)).rejects.toThrow(message);
  });

  it.each([
    [{ port: 70000 }, RangeError],
    [{ latencyMs: Number.NaN }, RangeError],
    [{ host: 'localhost' }, TypeError],
    [{ faults: [{ fault: 'timeout', next: 1, target: 'all' }] }, TypeError],
  ])('refuses %j with the error type of the problem', async (options, type) => {
    await expect(startDxMock(options as never)).rejects.toBeInstanceOf(type);
  });

  it('names a bad client secret without repeating it', async () => {
    const error = await startDxMock({ clientSecret: 424242 as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('options.clientSecret must be a non-empty string');
  });
});
