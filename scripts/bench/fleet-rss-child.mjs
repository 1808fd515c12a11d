// The 50,000-item run of scripts/bench/fleet.ts, in plain Node on the built packages (no tsx
// loader in the measured process): streams a JSON-lines file of items through sendDownlinks
// with the file journal and prints the peak RSS, sampled every 20 ms.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createDxClient } from '@dx/core-client';
import { sendDownlinks } from '@dx/downlink-helpers';
import { createFileJournal } from '@dx/downlink-helpers/file-journal';

const [file, journalPath, baseUrl] = process.argv.slice(2);
const baseline = process.memoryUsage.rss();
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);

async function* read() {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield JSON.parse(line);
}

const client = createDxClient({ baseUrl, auth: { token: 'bench' }, retry: false });
const journal = createFileJournal(journalPath);
const run = sendDownlinks(client, read(), { concurrency: 32, journal });
for await (const _ of run) {
  // streamed: nothing kept
}
journal.close();
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
process.stdout.write(JSON.stringify({ baseline, peak, summary: await run.summary }));
