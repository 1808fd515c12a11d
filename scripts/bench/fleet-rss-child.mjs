// The 50,000-item run of scripts/bench/fleet.ts, in plain Node on the built packages (no tsx
// loader in the measured process): streams a JSON-lines file of items through sendDownlinks
// (default concurrency, 8) with the file journal and prints the peak RSS, sampled every 20 ms.
// With a fourth argument `plain` it runs the control instead: the same items as a loop of 8
// concurrent client calls, no sendDownlinks and no journal, to show what Node's fetch alone costs.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createDxClient } from '@dx/core-client';
import { sendDownlinks } from '@dx/downlink-helpers';
import { createFileJournal } from '@dx/downlink-helpers/file-journal';

const [file, journalPath, baseUrl, mode] = process.argv.slice(2);
const baseline = process.memoryUsage.rss();
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);

async function* read() {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield JSON.parse(line);
}

const client = createDxClient({ baseUrl, auth: { token: 'bench' }, retry: false });
let summary;
if (mode === 'plain') {
  const inFlight = new Set();
  for await (const item of read()) {
    const requestBody = { payloadHex: item.payload.hex, targetPorts: String(item.fPort) };
    const call = client.downlink
      .sendDownlinkMessage({ device: item.device, requestBody })
      .catch(() => {})
      .finally(() => inFlight.delete(call));
    inFlight.add(call);
    if (inFlight.size >= 8) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
} else {
  const journal = createFileJournal(journalPath);
  const run = sendDownlinks(client, read(), { journal });
  for await (const _ of run) {
    // streamed: nothing kept
  }
  await journal.close();
  summary = await run.summary;
}
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
process.stdout.write(JSON.stringify({ baseline, peak, summary }));
