/**
 * `dx send-bulk` on an 80-column terminal, the width most terminals open at: nothing it prints
 * wraps, and no line says the same thing twice.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, baseEnv, tempHome } from './harness.js';
import { startMock } from './mock.js';
import { assertScript, dxLine, screen, stripColours, underTerminal } from './pty.js';

let mock: Awaited<ReturnType<typeof startMock>>;
let home: Awaited<ReturnType<typeof tempHome>>;
let fleet: string;

beforeAll(async () => {
  assertBuilt();
  await assertScript();
  mock = await startMock();
  home = await tempHome();
  fleet = join(home.home, 'fleet.jsonl');
  const lines = Array.from({ length: 60 }, (_, n) =>
    JSON.stringify({
      device: `0018B20000${String(n).padStart(6, '0')}`,
      payload: { hex: '01' },
      fPort: 2,
    }),
  );
  lines.splice(1, 0, '{"device": "0018B20000000001", "payload": ');
  await writeFile(fleet, `${lines.join('\n')}\n`);
});
afterAll(async () => {
  await mock?.close();
  await home?.cleanup();
});

const env = (extra: Record<string, string> = {}) => ({
  ...baseEnv(home.home),
  ...mock.env,
  NO_COLOR: '1',
  ...extra,
});

describe('send-bulk on an 80-column terminal', () => {
  it('stopped by SIGTERM: every line it leaves on screen fits, the resume note included', async () => {
    const journal = join(home.home, 'stopped.journal');
    // Slow enough (5/s) to be stopped half-way; the shell sends SIGTERM as `timeout` would.
    const run = dxLine(['send-bulk', '--file', fleet, '--rate', '5', '--journal', journal]);
    const { raw, code } = await underTerminal(
      `${run} & pid=$!; sleep 2; kill -TERM $pid; wait $pid`,
      env(),
      80,
    );
    expect(code).toBe(143);
    const lines = screen(raw).map(stripColours);
    for (const line of lines) expect(line.length, line).toBeLessThan(80);
    const note = lines.slice(lines.findIndex((l) => l.startsWith('interrupted: ')));
    expect(note.slice(0, 2).join(' ')).toMatch(
      /^interrupted: \d+ item\(s\) taken from the file were not sent; .*resume/,
    );
  });

  it('an invalid line is reported once with its number, not twice', async () => {
    const { raw } = await underTerminal(dxLine(['send-bulk', '--file', fleet]), env(), 80);
    const reported = screen(raw)
      .map(stripColours)
      .filter((l) => /^line 2 /.test(l));
    expect(reported).toEqual(['line 2  -  invalid  not valid JSON']);
    const dry = await underTerminal(dxLine(['send-bulk', '--file', fleet, '--dry-run']), env(), 80);
    expect(screen(dry.raw).filter((l) => /^line 2 /.test(l))).toEqual([
      'line 2  invalid  not valid JSON',
    ]);
  });
});
