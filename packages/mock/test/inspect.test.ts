/**
 * The running mock's own window, `GET /_dx-mock/downlinks`: what it queued, for tools outside
 * the test process (`dx mock downlinks`). Not a DX request: not recorded, no faults, no limit.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fetchMockDownlinks, MOCK_DOWNLINKS_PATH } from '../src/index.js';
import { mockServer, postDownlink, tokenFor } from './support.js';

describe('GET /_dx-mock/downlinks', () => {
  it('lists the kept downlinks without their bytes, and the total with the dropped ones', async () => {
    const mock = await mockServer({ maxRecords: 2 });
    const token = await tokenFor(mock);
    for (const payloadHex of ['01', '02', '03']) {
      await postDownlink(mock, token, { payloadHex, targetPorts: '2' });
    }
    const listed = await fetchMockDownlinks(mock.url);
    expect(listed.total).toBe(3);
    expect(listed.downlinks.map((d) => [d.id, d.payloadHex, d.fPort])).toEqual([
      ['dl-2', '02', 2],
      ['dl-3', '03', 2],
    ]);
    expect(listed.downlinks[0]).not.toHaveProperty('bytes');
    expect(listed.downlinks[0]?.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('is not a DX request: not recorded, not limited, no faults; GET only', async () => {
    const mock = await mockServer({ rateLimit: { perSecond: 1 } });
    mock.failNext(5, 'server-error', { target: 'any' });
    const url = new URL(MOCK_DOWNLINKS_PATH, mock.origin);
    for (let i = 0; i < 3; i++) expect((await fetch(url)).status).toBe(200);
    const post = await fetch(url, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect(mock.requests).toEqual([]);
    expect(mock.counts.requests).toBe(0);
  });

  it('fetchMockDownlinks refuses a server that is not a mock, and a URL that is not http(s)', async () => {
    const other = createServer((_req, res) => res.writeHead(404).end('not here'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = other.address() as AddressInfo;
      await expect(fetchMockDownlinks(`http://127.0.0.1:${port}/core/latest/api`)).rejects.toThrow(
        /is not a running @dx\/mock \(GET \/_dx-mock\/downlinks answered 404\)/,
      );
    } finally {
      other.close();
    }
    await expect(fetchMockDownlinks('file:///etc/passwd')).rejects.toThrow(/http\(s\) URL/);
  });
});
