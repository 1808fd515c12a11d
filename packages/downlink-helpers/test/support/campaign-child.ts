/**
 * A campaign in its own process, for the kill test: sends `FLEET_N` items to `FLEET_BASE_URL`
 * with the file journal at `FLEET_JOURNAL`. The parent SIGKILLs it at a random point.
 */
import { sendDownlinks } from '../../src/index.js';
import { createFileJournal } from '../../src/node/file-journal.js';
import { fleetClient, items } from './fleet.js';

const journal = createFileJournal(process.env.FLEET_JOURNAL!);
const run = sendDownlinks(
  fleetClient(process.env.FLEET_BASE_URL!),
  items(Number(process.env.FLEET_N)),
  {
    journal,
    concurrency: Number(process.env.FLEET_CONCURRENCY),
  },
);
for await (const _ of run) {
  // Results are in the journal; the parent reads it.
}
await journal.close();
