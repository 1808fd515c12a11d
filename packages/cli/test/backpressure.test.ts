/**
 * stdout backpressure: a reader that stops reading must stop `dx send-bulk` from reading its
 * input, or every line not yet read out piles up in memory (a dry run of 1 M lines into a
 * slow reader held 651 MB). Checked by bytes, not time: with stdout paused, the input `dx`
 * accepts stays within a bound (pipe buffers and one stream buffer each way), far below what
 * was offered; once stdout is read again, every line is reported.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, baseEnv, BIN, ndjson, tempHome } from './harness.js';
import { startMock } from './mock.js';

let home: Awaited<ReturnType<typeof tempHome>>;
let mock: Awaited<ReturnType<typeof startMock>>;
beforeAll(async () => {
  assertBuilt();
  home = await tempHome();
  mock = await startMock();
});
afterAll(async () => {
  await mock?.close();
  await home?.cleanup();
});

const LINES_PER_CHUNK = 1000;
/** What is offered: far more than any buffer on the way. */
const OFFERED_BYTES = 24 * 1024 * 1024;
/**
 * What `dx` may accept while nobody reads its stdout: the stdin pipe (64 KiB on Linux), the
 * stream buffers of its input and output (64 KiB and 16 KiB), the stdout pipe (64 KiB), and the
 * lines whose results fill them; a wide margin over that, and far below what was offered.
 */
const BOUND_BYTES = 2 * 1024 * 1024;
/** How long writing may block (or sending pause) before `dx` counts as waiting for its reader. */
const STALLED_MS = 3000;
const POLL_MS = 250;
/** More sends than fit in any buffer between `dx` and a reader that does not read. */
const SEND_BOUND = 2000;

function chunk(first: number): string {
  let text = '';
  for (let i = first; i < first + LINES_PER_CHUNK; i++) {
    const device = `0018B2${i.toString(16).toUpperCase().padStart(10, '0')}`;
    text += `{"device":"${device}","payload":{"hex":"0101"},"fPort":2}\n`;
  }
  return text;
}

/**
 * Offers `dx` JSON lines on stdin until it stops taking them (writing blocked for
 * {@link STALLED_MS}) or `offeredBytes` were offered.
 */
async function offerUntilStalled(
  child: ChildProcessWithoutNullStreams,
  offeredBytes: number,
): Promise<{ stalled: boolean; offered: number; accepted: number; lines: number }> {
  let offered = 0;
  let lines = 0;
  while (offered < offeredBytes) {
    const text = chunk(lines);
    lines += LINES_PER_CHUNK;
    offered += Buffer.byteLength(text);
    if (child.stdin.write(text)) continue;
    const drained = await Promise.race([
      once(child.stdin, 'drain').then(() => true),
      sleep(STALLED_MS).then(() => false),
    ]);
    if (!drained)
      return { stalled: true, offered, accepted: offered - child.stdin.writableLength, lines };
  }
  return { stalled: false, offered, accepted: offered - child.stdin.writableLength, lines };
}

describe('dx send-bulk: stdout backpressure', () => {
  it('--dry-run with stdout not read: stops reading its input within a bound, then finishes every line', async () => {
    const child = spawn(process.execPath, [BIN, 'send-bulk', '--file', '-', '--dry-run'], {
      env: baseEnv(home.home),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // Nobody reads stdout yet: its pipe fills, and `dx` must wait for it.
    child.stdout.pause();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'close');

    const { stalled, offered, accepted, lines } = await offerUntilStalled(child, OFFERED_BYTES);
    expect(stalled, `dx read all ${offered} bytes offered while its stdout was not read`).toBe(
      true,
    );
    expect(accepted).toBeLessThan(BOUND_BYTES);

    // Reading again: the run resumes and reports every line offered.
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stdout.resume();
    child.stdin.end();
    const [code] = await exited;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = ndjson(stdout);
    expect(out.at(-1)).toMatchObject({ summary: { valid: lines, invalid: 0, total: lines } });
    expect(out).toHaveLength(lines + 1);
  });

  it('sending, with stdout not read: stops sending within a bound', async () => {
    mock.clearRecords();
    const child = spawn(
      process.execPath,
      [BIN, 'send-bulk', '--file', '-', '--concurrency', '16'],
      {
        env: { ...baseEnv(home.home), ...mock.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    child.stdout.pause();
    // Killed below while lines are still offered.
    child.stdin.on('error', () => undefined);
    const exited = once(child, 'close');
    try {
      // Sending is slower than validating, and it reads its input only as fast as it sends:
      // what is bounded here is what is sent, which without backpressure grows without end.
      void offerUntilStalled(child, 8 * 1024 * 1024);
      let sent = 0;
      for (let unchanged = 0; unchanged * POLL_MS < STALLED_MS && sent < SEND_BOUND;) {
        await sleep(POLL_MS);
        const now = mock.downlinks.length;
        unchanged = now === sent ? unchanged + 1 : 0;
        sent = now;
      }
      // Each result line is about 200 bytes: the stdout pipe and stream buffer hold a few
      // hundred, plus those in flight.
      expect(sent).toBeGreaterThan(0);
      expect(sent).toBeLessThan(SEND_BOUND);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });
});
