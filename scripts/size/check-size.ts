/**
 * `pnpm size`: the measured sizes against the enforced limit (exit 1 above it) and against the
 * product's target budget.
 */
import { measureAll } from './size-budgets.js';

const rows = await measureAll();
process.stdout.write(
  '| bundle | minified | min+gzip | enforced limit | target |\n| --- | ---: | ---: | ---: | ---: |\n',
);
for (const r of rows) {
  const limit = r.gzipped <= r.limitBytes ? 'ok' : 'OVER';
  const target = r.gzipped <= r.targetBytes ? 'met' : 'not met';
  process.stdout.write(
    `| ${r.name} | ${r.minified} B | ${r.gzipped} B | ${r.limitBytes} B ${limit} | ${r.targetBytes} B ${target} |\n`,
  );
}
if (rows.some((r) => r.gzipped > r.limitBytes)) process.exitCode = 1;
