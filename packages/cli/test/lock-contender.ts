/**
 * One contender for a journal lock, for journal-lock.test.ts: prints `ready`, takes the lock
 * when a line arrives on stdin (so that all contenders try at the same moment), prints `got`
 * or `refused <message>`, and holds a lock it got until stdin closes. With `LOCK_NOW=1` it
 * takes the lock at once, prints `got <pid>`, and holds it until it is killed.
 */
import { createInterface } from 'node:readline';
import { lockJournal } from '../src/bulk/journal-lock.js';

const journal = process.argv[2]!;

async function attempt(): Promise<(() => Promise<void>) | undefined> {
  try {
    return await lockJournal(journal, 'usage');
  } catch (error) {
    process.stdout.write(`refused ${(error as Error).message}\n`);
    return undefined;
  }
}

if (process.env.LOCK_NOW === '1') {
  if (await attempt()) {
    process.stdout.write(`got ${process.pid}\n`);
    setInterval(() => undefined, 60_000);
  }
} else {
  const lines = createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  lines.once('line', () => {
    void attempt().then((release) => {
      if (!release) return lines.close();
      process.stdout.write('got\n');
      lines.once('close', () => void release());
    });
  });
}
