/** `pnpm size`: prints the measured sizes against their budgets; exits 1 over budget. */
import { measureAll } from './size-budgets.js';

const rows = await measureAll();
process.stdout.write('| bundle | minified | min+gzip | budget |\n| --- | ---: | ---: | ---: |\n');
for (const r of rows) {
  const mark = r.gzipped <= r.limitBytes ? 'ok' : 'OVER';
  process.stdout.write(
    `| ${r.name} | ${r.minified} B | ${r.gzipped} B | ${r.limitBytes} B ${mark} |\n`,
  );
}
if (rows.some((r) => r.gzipped > r.limitBytes)) process.exitCode = 1;
