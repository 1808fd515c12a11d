// e2e consumer (c): a browser app in strict TypeScript (moduleResolution bundler), bundled by
// esbuild (platform browser, format esm) and run in headless Chromium. The page is served from
// another local origin than the DX mock, so the calls are cross-origin (CORS).
// The runner opens index.html?baseUrl=...&tokenUrl=... and waits for `window.__dxE2E`.
import { createDxRequest, DownlinkService, ApiError } from '@dx/core-client';
import { sendDownlink, encodeCayenneLpp, DownlinkError } from '@dx/downlink-helpers';

declare global {
  interface Window {
    __dxE2E?: { ok: boolean; result?: unknown; error?: string };
  }
}

async function main(): Promise<unknown> {
  const params = new URLSearchParams(window.location.search);
  const baseUrl = params.get('baseUrl');
  const tokenUrl = params.get('tokenUrl');
  if (!baseUrl || !tokenUrl) throw new Error('baseUrl and tokenUrl query parameters are required');
  // A browser app counts its bytes: it builds the one service it calls, which sendDownlink
  // takes as a client.
  const request = createDxRequest({
    baseUrl,
    auth: { clientId: 'tenant/login', clientSecret: 'secret', tokenUrl },
  });
  const client = { downlink: new DownlinkService(request) };
  // Cayenne LPP: channel 3, temperature 27.2 °C -> 03 67 01 10.
  const payload = encodeCayenneLpp([{ channel: 3, type: 'temperature', value: 27.2 }]);
  // Misuse is refused locally with a DownlinkError, before anything is sent: FPort 0 is for MAC commands.
  const refused = await sendDownlink(client, {
    device: '0018B20000000B20',
    payload,
    fPort: 0,
  }).then(
    () => false,
    (err: unknown) => err instanceof DownlinkError || Promise.reject(err),
  );
  if (!refused) throw new Error('sendDownlink accepted fPort 0');
  return sendDownlink(client, { device: '0018B20000000B20', payload, fPort: 2, confirm: true });
}

main().then(
  (result) => (window.__dxE2E = { ok: true, result }),
  (err: unknown) => {
    const detail =
      err instanceof ApiError ? ` (DX answered ${err.status}: ${JSON.stringify(err.body)})` : '';
    window.__dxE2E = { ok: false, error: `${String(err)}${detail}` };
  },
);
