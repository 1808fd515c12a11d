/**
 * The maintainer's path (../maintainer-path/): its vitest file, run in a process of its own
 * with a JSON report, so that each of its tests is a line of the e2e run and a failure shows
 * the test's message.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './proc.js';

interface Report {
  testResults: {
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

export async function maintainerPath(repoRoot: string, work: string): Promise<string[]> {
  const output = join(work, 'maintainer-path.json');
  const config = 'scripts/e2e/maintainer-path/vitest.config.ts';
  const args = ['exec', 'vitest', 'run', '--config', config, '--reporter=json'];
  // A failed test exits non-zero too: the report says which, and why.
  const ran = await run('pnpm', [...args, `--outputFile=${output}`], {
    cwd: repoRoot,
    timeoutMs: 600_000,
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
  const text = await readFile(output, 'utf8').catch(() => undefined);
  if (text === undefined) throw ran ?? new Error(`vitest wrote no report at ${output}`);
  const report = JSON.parse(text) as Report;
  const tests = report.testResults.flatMap((file) => file.assertionResults);
  const failures = [
    ...report.testResults.filter((file) => file.message).map((file) => file.message ?? ''),
    ...tests
      .filter((t) => t.status !== 'passed')
      .map((t) => `${t.fullName}\n${t.failureMessages.join('\n')}`),
  ];
  if (tests.length === 0 || failures.length > 0) {
    throw new Error(failures.join('\n\n') || 'the maintainer-path tests did not run');
  }
  return tests.map((t) => `${t.status}: ${t.fullName}`);
}
