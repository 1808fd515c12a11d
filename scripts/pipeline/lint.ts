import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { PipelineError } from './pipeline-error.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/**
 * `redocly lint --extends minimal` on the written OpenAPI 3 file: swagger-parser checks the
 * schema, redocly catches what is valid but wrong (unused components, bad examples, ...).
 */
export async function lintOpenApi(file: string, displayName: string): Promise<void> {
  const cli = require.resolve('@redocly/cli/bin/cli.js');
  try {
    await run(
      process.execPath,
      [cli, 'lint', '--extends', 'minimal', '--format', 'codeframe', file],
      {
        env: {
          ...process.env,
          REDOCLY_TELEMETRY: 'off',
          REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
          NO_COLOR: '1',
        },
        maxBuffer: 10 * 1024 * 1024,
      },
    );
  } catch (error) {
    const output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
    const pointer = /#(\/\S+)/.exec(output)?.[1] ?? '';
    throw new PipelineError({
      file: displayName,
      pointer,
      reason: `redocly lint failed:\n${output.trim().split('\n').slice(0, 20).join('\n')}`,
      hint: 'fix the finding with an action in the fragment overlay',
    });
  }
}
