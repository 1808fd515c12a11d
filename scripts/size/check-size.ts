/** `pnpm size`: the measured sizes against each bundle's budget (exit 1 above it). */
import { measureAll } from './size-budgets.js';

const rows = await measureAll();
process.stdout.write('| bundle | minified | min+gzip | budget |\n| --- | ---: | ---: | ---: |\n');
for (const r of rows) {
  const verdict = r.gzipped <= r.limitBytes ? 'ok' : 'OVER';
  process.stdout.write(
    `| ${r.name} | ${r.minified} B | ${r.gzipped} B | ${r.limitBytes} B ${verdict} |\n`,
  );
}
if (rows.some((r) => r.gzipped > r.limitBytes)) process.exitCode = 1;
