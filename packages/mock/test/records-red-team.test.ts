/**
 * The records keep no secret, however the request carries it: in a body that is not JSON, a
 * token request that is not a form, or the query string.
 */
import { describe, expect, it } from 'vitest';
import { DEVICE, mockServer, tokenFor } from './support.js';

const AS_KEY = '00112233445566778899AABBCCDDEEFF';

describe('records of requests that carry a secret oddly', () => {
  it('a downlink body that is not valid JSON: the AS key is not kept', async () => {
    const mock = await mockServer();
    const token = await tokenFor(mock);
    const res = await fetch(`${mock.url}/devices/${DEVICE}/downlinkMessages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      // Cut off before its last brace, as a client killed mid-write sends it.
      body: `{"payloadHex":"01","targetPorts":"2","securityParams":{"asId":"as-1","asKey":"${AS_KEY}"}`,
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(mock.requests)).not.toContain(AS_KEY);
    // Kept as text, the rest still readable.
    expect(mock.requests.at(-1)?.body).toBe(
      '{"payloadHex":"01","targetPorts":"2","securityParams":{"asId":"as-1","asKey":"[redacted]"}',
    );
  });

  it('a token request in another media type: the client secret is not kept', async () => {
    const mock = await mockServer();
    for (const [type, body] of [
      ['text/plain', `grant_type=client_credentials&client_secret=${mock.clientSecret}`],
      ['application/json', JSON.stringify({ client_secret: mock.clientSecret }).slice(0, -1)],
    ] as const) {
      const res = await fetch(mock.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
      expect(res.status).toBe(400);
    }
    expect(JSON.stringify(mock.requests)).not.toContain(mock.clientSecret);
  });

  it('secrets in the query string are redacted as in the body', async () => {
    const mock = await mockServer();
    const token = await tokenFor(mock);
    const query = new URLSearchParams({
      access_token: token,
      client_secret: mock.clientSecret,
      confirmDownlink: 'true',
    });
    const res = await fetch(`${mock.url}/devices/${DEVICE}/downlinkMessages?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ payloadHex: '01', targetPorts: '2' }),
    });
    expect(res.status).toBe(200);
    const record = mock.requests.at(-1);
    expect(JSON.stringify(record)).not.toContain(token);
    expect(JSON.stringify(record)).not.toContain(mock.clientSecret);
    expect(record?.query).toEqual({
      access_token: '[redacted]',
      client_secret: '[redacted]',
      confirmDownlink: 'true',
    });
  });
});

describe('the request log', () => {
  it('shows secret-named query parameters redacted', async () => {
    const lines: string[] = [];
    const mock = await mockServer({ log: (line) => lines.push(line) });
    const token = await tokenFor(mock);
    const query = new URLSearchParams({ access_token: token, confirmDownlink: 'true' });
    await fetch(`${mock.url}/devices/${DEVICE}/downlinkMessages?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ payloadHex: '01', targetPorts: '2' }),
    });
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.at(-1)).toBe(
      `POST /core/latest/api/devices/${DEVICE}/downlinkMessages?access_token=%5Bredacted%5D&confirmDownlink=true -> 200`,
    );
  });
});
