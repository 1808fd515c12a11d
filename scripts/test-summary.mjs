// Prints the plain closing line CI reads ("N passed, N failed"): vitest's JSON report plus the
// "N passed, N failed" line of each further log given (the e2e run).
import { readFileSync } from 'node:fs';

const [reportFile = '.tmp/test-results.json', ...logs] = process.argv.slice(2);
let passed = 0;
let failed = 0;

try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(
    `vitest: ${report.numPassedTests ?? 0} passed, ${report.numFailedTests ?? 0} failed, ${report.numFailedTestSuites ?? 0} files failed, ${skipped} skipped`,
  );
  failed += skipped;
} catch (error) {
  console.log(`vitest: no report at ${reportFile} (${error.message})`);
  failed += 1;
}

for (const log of logs) {
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    // a missing log is a failed step
  }
  const matches = [...text.matchAll(/^(\d+) passed, (\d+) failed$/gm)];
  const last = matches.at(-1);
  if (!last) {
    console.log(`${log}: no result line`);
    failed += 1;
    continue;
  }
  console.log(`${log}: ${last[0]}`);
  passed += Number(last[1]);
  failed += Number(last[2]);
}

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
