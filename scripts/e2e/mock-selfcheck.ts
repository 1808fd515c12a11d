/**
 * Before trusting what the DX mock (`@dx/mock`, the built package) reports about the consumers,
 * check that it refuses what the spec refuses: a wrong client secret, a missing or foreign
 * bearer token, odd-length or non-hex payloads, a numeric targetPorts, a non-boolean
 * confirmDownlink, a wrong content type; that it answers CORS preflights; and that it cannot be
 * bound to a non-loopback address. Its own test suite goes much further (packages/mock/test).
 */
import { startDxMock } from '@dx/mock';

export async function selfCheckMock(): Promise<string> {
  const failures: string[] = [];
  let checks = 0;
  const expect = (what: string, actual: unknown, expected: unknown): void => {
    checks++;
    if (actual !== expected)
      failures.push(`${what}: got ${String(actual)}, expected ${String(expected)}`);
  };

  try {
    await startDxMock({ host: '0.0.0.0' });
    failures.push('startDxMock accepted host 0.0.0.0');
  } catch {
    checks++;
  }

  const mock = await startDxMock({ clientId: 'a/b', clientSecret: 's' });
  try {
    const token = (secret: string): Promise<Response> =>
      fetch(mock.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'a/b',
          client_secret: secret,
        }),
      });
    expect('token with a wrong secret', (await token('nope')).status, 401);
    const good = await token('s');
    expect('token with the right secret', good.status, 200);
    const issued = ((await good.json()) as { access_token?: string }).access_token;

    const url = `${mock.url}/devices/0018B20000000B20/downlinkMessages`;
    const send = (
      body: unknown,
      opts: { auth?: string; query?: string; type?: string } = {},
    ): Promise<Response> =>
      fetch(`${url}${opts.query ?? ''}`, {
        method: 'POST',
        headers: {
          'Content-Type': opts.type ?? 'application/json',
          Authorization: opts.auth ?? `Bearer ${issued}`,
        },
        body: JSON.stringify(body),
      });
    const ok = { payloadHex: '03670110', targetPorts: '2' };
    expect('downlink without an issued token', (await send(ok, { auth: 'Bearer x' })).status, 401);
    expect('odd-length payloadHex', (await send({ ...ok, payloadHex: '036' })).status, 400);
    expect('non-hex payloadHex', (await send({ ...ok, payloadHex: '03zz' })).status, 400);
    expect('numeric targetPorts', (await send({ ...ok, targetPorts: 2 })).status, 400);
    expect(
      'text/plain body (no 415 in the spec)',
      (await send(ok, { type: 'text/plain' })).status,
      400,
    );
    expect(
      'non-boolean confirmDownlink',
      (await send(ok, { query: '?confirmDownlink=yes' })).status,
      400,
    );
    const accepted = await send(ok, { query: '?confirmDownlink=true&flushDownlinkQueue=false' });
    expect('valid downlink', accepted.status, 200);
    expect(
      'valid downlink status',
      ((await accepted.json()) as { status?: string }).status,
      'QUEUED',
    );
    expect('downlinks recorded', mock.downlinks.length, 1);
    const pre = await fetch(url, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:1', 'Access-Control-Request-Method': 'POST' },
    });
    expect('preflight status', pre.status, 204);
    expect('preflight allow-origin', pre.headers.get('access-control-allow-origin'), '*');
    expect(
      'preflight allow-headers',
      pre.headers.get('access-control-allow-headers'),
      'Authorization, Content-Type',
    );
  } finally {
    await mock.close();
  }
  if (failures.length > 0)
    throw new Error(`dx-mock self-check failed:\n  ${failures.join('\n  ')}`);
  return `${checks} checks passed`;
}
