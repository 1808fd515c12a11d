import { startDxMock } from '../../../scripts/dx-mock/server.js';
import { CLIENT_ID, SECRET } from './harness.js';

/**
 * The DX stand-in the CLI tests talk to, with the distinctive secret as its only accepted
 * client secret. (To be switched to `@dx/mock` when it lands.)
 */
export async function startMock() {
  const mock = await startDxMock({ expectedClientId: CLIENT_ID, expectedClientSecret: SECRET });
  const downlinks = () =>
    mock.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith('/downlinkMessages') && r.status === 200,
    );
  return {
    url: mock.baseUrl,
    tokenUrl: mock.tokenUrl,
    downlinks,
    requests: () => mock.requests,
    close: () => mock.close(),
    env: {
      DX_BASE_URL: mock.baseUrl,
      DX_TOKEN_URL: mock.tokenUrl,
      DX_CLIENT_ID: CLIENT_ID,
      DX_CLIENT_SECRET: SECRET,
    },
  };
}
