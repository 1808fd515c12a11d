/**
 * One contender for a journal lock, for journal-lock.test.ts: prints `ready`, takes the lock
 * when a line arrives on stdin (so that all contenders try at the same moment), prints `got`
 * or `refused <message>`, and holds a lock it got until stdin closes.
 */
import { createInterface } from 'node:readline';
import { lockJournal } from '../src/bulk/journal-lock.js';

const journal = process.argv[2]!;
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
lines.once('line', () => {
  try {
    const release = lockJournal(journal, 'usage');
    process.stdout.write('got\n');
    lines.once('close', release);
  } catch (error) {
    process.stdout.write(`refused ${(error as Error).message}\n`);
    lines.close();
  }
});
