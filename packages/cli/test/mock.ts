import { startDxMock, type StartDxMockOptions } from '@dx/mock';
import { afterAll, beforeEach, expect } from 'vitest';
import { baseEnv, CLIENT_ID, SECRET, tempHome } from './harness.js';

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

/**
 * What a test file of `dx` against DX needs, called at its top level (`await mockedDx()`):
 * the mock (its records cleared before each test), a temporary HOME, the environment that
 * points `dx` at both and nothing of the caller's, and `outputs`, where the file keeps what
 * `dx` printed. When the file's tests are done, none of it may hold the secret; then the mock
 * stops and the HOME goes.
 */
export async function mockedDx() {
  const mock = await startMock();
  const home = await tempHome();
  const env: Record<string, string> = { ...baseEnv(home.home), ...mock.env };
  const outputs: string[] = [];
  beforeEach(() => mock.clearRecords());
  afterAll(async () => {
    try {
      expect(outputs.join('\n')).not.toContain(SECRET);
    } finally {
      await mock.close();
      await home.cleanup();
    }
  });
  return { mock, home, env, outputs };
}
