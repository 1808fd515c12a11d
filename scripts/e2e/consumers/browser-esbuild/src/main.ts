// e2e consumer (d): a browser app in strict TypeScript (moduleResolution bundler), bundled by
// esbuild (platform browser, format esm) and run in headless Chromium. The page is served from
// another local origin than the DX mock, so the calls are cross-origin (CORS).
// The runner opens index.html?baseUrl=...&tokenUrl=... and waits for `window.__dxE2E`.
import { createDxRequest, DownlinkService, ApiError } from '@dx/core-client';
import { sendDownlink, hexToBytes, encodeCayenneLpp, DownlinkError } from '@dx/downlink-helpers';

interface E2EOutcome {
  ok: boolean;
  result?: unknown;
  error?: string;
}

declare global {
  interface Window {
    __dxE2E?: E2EOutcome;
  }
}

function report(outcome: E2EOutcome): void {
  window.__dxE2E = outcome;
  const out = document.getElementById('out');
  if (out) out.textContent = JSON.stringify(outcome, null, 2);
}

async function main(): Promise<unknown> {
  const params = new URLSearchParams(window.location.search);
  const baseUrl = params.get('baseUrl');
  const tokenUrl = params.get('tokenUrl');
  if (!baseUrl || !tokenUrl) throw new Error('baseUrl and tokenUrl query parameters are required');

  // A browser app counts its bytes: it builds the one service it calls (issue 16), which
  // sendDownlink takes as a client.
  const request = createDxRequest({
    baseUrl,
    auth: { clientId: 'tenant/login', clientSecret: 'secret', tokenUrl },
  });
  const client = { downlink: new DownlinkService(request) };

  // Cayenne LPP: channel 3, temperature 27.2 °C -> 03 67 01 10.
  const payload = encodeCayenneLpp([{ channel: 3, type: 'temperature', value: 27.2 }]);
  const expected = hexToBytes('03670110');
  if (Array.from(payload).join(',') !== Array.from(expected).join(',')) {
    throw new Error(
      `encodeCayenneLpp gave [${Array.from(payload).join(',')}], expected 3,103,1,16`,
    );
  }

  // Misuse is refused locally with a DownlinkError, before anything is sent: FPort 0 is for MAC commands.
  let refused = false;
  try {
    await sendDownlink(client, { device: '0018B20000000B20', payload, fPort: 0 });
  } catch (err) {
    if (!(err instanceof DownlinkError)) throw err;
    refused = true;
  }
  if (!refused) throw new Error('sendDownlink accepted fPort 0');

  const result = await sendDownlink(client, {
    device: '0018B20000000B20',
    payload,
    fPort: 2,
    confirm: true,
  });
  if (result.status !== 'QUEUED')
    throw new Error(`expected status QUEUED, got ${JSON.stringify(result)}`);
  return result;
}

main().then(
  (result) => report({ ok: true, result }),
  (err: unknown) => {
    const detail =
      err instanceof ApiError ? ` (DX answered ${err.status}: ${JSON.stringify(err.body)})` : '';
    report({
      ok: false,
      error: `${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}${detail}`,
    });
  },
);
