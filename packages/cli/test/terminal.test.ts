import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, baseEnv, SECRET, tempHome } from './harness.js';
import { startMock } from './mock.js';
import { assertScript, dxLine, screen, stripColours, underTerminal as underPty } from './pty.js';

/** `dx send-bulk` as a person sees it, on a terminal (see pty.ts). */
let mock: Awaited<ReturnType<typeof startMock>>;
let home: Awaited<ReturnType<typeof tempHome>>;
let fleet: string;

beforeAll(async () => {
  assertBuilt();
  await assertScript();
  mock = await startMock({ latencyMs: 20 });
  home = await tempHome();
  fleet = join(home.home, 'fleet.jsonl');
  const lines = Array.from({ length: 40 }, (_, n) =>
    JSON.stringify({
      device: `0018B20000${String(n).padStart(6, '0')}`,
      payload: { hex: '01' },
      fPort: 2,
    }),
  );
  lines.push(JSON.stringify({ device: '0018B20000999999', payload: { hex: 'xyz' }, fPort: 2 }));
  await writeFile(fleet, `${lines.join('\n')}\n`);
});
afterAll(async () => {
  await mock?.close();
  await home?.cleanup();
});

/** `dx ...args` under a pseudo-terminal, pointed at the mock. */
function underTerminal(args: string[], extraEnv: Record<string, string> = {}, columns?: number) {
  return underPty(dxLine(args), { ...baseEnv(home.home), ...mock.env, ...extraEnv }, columns);
}

describe('send-bulk on a terminal', () => {
  it('shows a progress bar with counts, rate and ETA on stderr, then a summary table', async () => {
    const { raw, code } = await underTerminal(['send-bulk', '--file', fleet, '--concurrency', '4']);
    expect(code).toBe(1); // one invalid line
    const lines = screen(raw).map(stripColours);
    // Intermediate frames were drawn: a partly filled bar with a rate and an ETA.
    expect(raw).toMatch(/\[#+\.+\] \d+\/41 \d+%  queued \d+ .* \d+\.\d\/s  ETA \d+s/);
    // The final frame stays on screen, complete.
    const bar = lines.find((l) => l.startsWith('[########################] 41/41 100%'));
    expect(bar).toMatch(
      /queued 40 {2}skipped 0 {2}failed 0 {2}unknown 0 {2}not-sent 0 {2}invalid 1 {2}\d+\.\d\/s/,
    );
    // The invalid line was printed above the bar, not inside it.
    expect(
      lines.some((l) =>
        /^line 41 {2}0018B20000999999 {2}invalid {2}payload: invalid hex digit/.test(l),
      ),
    ).toBe(true);
    const table = lines.slice(lines.indexOf('outcome    count'));
    expect(table.slice(0, 8).map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      'outcome count',
      'queued 40',
      'skipped 0',
      'failed 0',
      'unknown 0',
      'not-sent 0',
      'invalid 1',
      expect.stringMatching(/^total 41 in \d+\.\ds \(\d+\.\d\/s\)$/),
    ]);
    // Human output on a terminal: no JSON.
    expect(raw).not.toMatch(/"outcome"/);
    expect(raw).not.toContain(SECRET);
  });

  it('says what a waiting run waits for, and redraws the countdown every second', async () => {
    const two = join(home.home, 'two.jsonl');
    await writeFile(two, readFileSync(fleet, 'utf8').split('\n').slice(0, 2).join('\n'));
    mock.failNext(1, 'unavailable', { retryAfterSeconds: 3 });
    const { raw, code } = await underTerminal(['send-bulk', '--file', two, '--concurrency', '1'], {
      NO_COLOR: '1',
    });
    expect(code).toBe(0);
    // Nothing else happens during the 3 s wait: only the heartbeat draws these frames.
    const countdowns = raw
      .split('\r')
      .map((frame) => /waiting: DX answered 503, retry in (\d+) s/.exec(frame)?.[1])
      .filter((n) => n !== undefined);
    expect(new Set(countdowns).size).toBeGreaterThanOrEqual(2);
  });

  it('a device column with escape sequences is shown escaped, on one line', async () => {
    const forged = join(home.home, 'forged.jsonl');
    const device = 'x\u001b[2J\u001b]0;owned\u0007\r\nline 9  0018B20000000009  queued';
    await writeFile(forged, `${JSON.stringify({ device, fPort: 2, payload: { hex: '01' } })}\n`);
    const { raw, code } = await underTerminal(['send-bulk', '--file', forged], { NO_COLOR: '1' });
    expect(code).toBe(1);
    // Neither the clear-screen nor the window-title sequence reaches the terminal.
    expect(raw).not.toContain('\u001b[2J');
    expect(raw).not.toContain('\u001b]0;');
    const lines = screen(raw).filter((l) => l.startsWith('line '));
    expect(lines).toEqual([
      expect.stringMatching(
        /^line 1 {2}x\\u001b\[2J\\u001b\]0;owned\\u0007\\u000d\\u000aline 9 .* {2}invalid {2}device:/,
      ),
    ]);
  });

  it('colours only on a terminal, never with NO_COLOR', async () => {
    const coloured = await underTerminal(['send-bulk', '--file', fleet]);
    expect(coloured.raw).toMatch(/\u001b\[3[12]m/);
    const plain = await underTerminal(['send-bulk', '--file', fleet], { NO_COLOR: '1' });
    expect(plain.raw).not.toMatch(/\u001b\[\d+m/);
    expect(plain.raw).toMatch(/queued 40/);
  });

  it('--json on a terminal: NDJSON on stdout and the bar still on stderr', async () => {
    const { raw } = await underTerminal(['send-bulk', '--file', fleet, '--json']);
    expect(raw).toMatch(/\{"summary":\{"queued":40,/);
    expect(raw).toMatch(/41\/41 100%/);
  });

  it('--file - with the terminal as stdin: exit 2 with a hint, instead of waiting for typing', async () => {
    const { raw, code } = await underTerminal(['send-bulk', '--file', '-', '--dry-run']);
    expect(code).toBe(2);
    expect(raw).toMatch(/--file -: stdin is a terminal; pipe the lines in/);
  });

  it.each([100, 60, 30])(
    'on a terminal %i columns wide, every frame of the bar fits on one row (no trail of wrapped frames)',
    async (columns) => {
      const { raw, code } = await underTerminal(['send-bulk', '--file', fleet], {}, columns);
      expect(code).toBe(1);
      const frames = raw
        .split(/\r\n|\r|\n/)
        .map((piece) => stripColours(piece.replace(/\u001b\[2K/g, '')))
        .filter((piece) => /\d+\/41\b/.test(piece));
      expect(frames.length).toBeGreaterThan(0);
      for (const frame of frames) expect(frame.length, frame).toBeLessThan(columns);
      // The final frame keeps what matters first: the progress and the counts that are not 0.
      if (columns >= 60) expect(frames.at(-1)).toMatch(/41\/41 100% {2}queued 40 {2}invalid 1/);
    },
  );
});
