#!/usr/bin/env node
// The `dx-mock` command. Committed beside the build rather than pointing `bin` at dist/: pnpm
// links bins at install time, before a fresh clone is built, and warns about a bin whose file
// does not exist yet.
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('dx-mock: @dx/mock is not built yet; run `pnpm build` first\n');
  process.exit(1);
}
await import(built.href);
