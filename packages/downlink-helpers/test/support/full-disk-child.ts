/**
 * A run whose journal file hits a size limit (the parent starts it under `ulimit -f`, as a
 * full disk does): `FLEET_N` items to `FLEET_BASE_URL`, journal at `FLEET_JOURNAL`, one at a
 * time. It ends with the journal's write error; the parent then resumes without the limit.
 */
import { sendDownlinks } from '../../src/index.js';
import { createFileJournal } from '../../src/node/file-journal.js';
import { fleetClient, items } from './fleet.js';

const journal = createFileJournal(process.env.FLEET_JOURNAL!);
try {
  const run = sendDownlinks(
    fleetClient(process.env.FLEET_BASE_URL!),
    items(Number(process.env.FLEET_N)),
    { journal, concurrency: 1 },
  );
  for await (const _ of run) {
    // The journal holds the results.
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 3;
} finally {
  await journal.close().catch(() => undefined);
}
