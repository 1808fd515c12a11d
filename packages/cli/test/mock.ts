import { startDxMock, type StartDxMockOptions } from '@dx/mock';
import { CLIENT_ID, SECRET } from './harness.js';

/**
 * `@dx/mock` with the distinctive secret as its only accepted client secret, and the DX_*
 * variables that point `dx` at it.
 */
export async function startMock(options: StartDxMockOptions = {}) {
  const mock = await startDxMock({ clientId: CLIENT_ID, clientSecret: SECRET, ...options });
  return Object.assign(mock, {
    env: {
      DX_BASE_URL: mock.url,
      DX_TOKEN_URL: mock.tokenUrl,
      DX_CLIENT_ID: CLIENT_ID,
      DX_CLIENT_SECRET: SECRET,
    },
  });
}
