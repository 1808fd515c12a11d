/**
 * The help a person reads before anything else says what the README and the code say: every
 * exit code `dx` can return, every JSONL field send-bulk reads.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.js';
import { assertBuilt, baseEnv, dx, tempHome } from './harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeAll(async () => {
  assertBuilt();
  home = await tempHome();
});
afterAll(() => home?.cleanup());

describe('help texts', () => {
  it('dx --help lists every exit code dx returns', async () => {
    const top = await dx(['--help'], { env: baseEnv(home.home) });
    const codes = /Exit codes:([\s\S]*?)\n\n/.exec(top.stdout)?.[1] ?? '';
    for (const [name, code] of Object.entries(EXIT)) {
      expect(codes, `${name} (${code})`).toMatch(new RegExp(`\\b${code} \\w`));
    }
  });

  it('dx send-bulk --help names every JSONL field the README lists', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('#### Input: JSON lines'));
    const fieldsParagraph = /\nFields: ([\s\S]*?)\n(?=[A-Z])/.exec(section)?.[1] ?? '';
    const fields = [...fieldsParagraph.matchAll(/`([a-zA-Z]+)`/g)].map((m) => m[1]!);
    expect(fields).toEqual(
      expect.arrayContaining(['dwellTime', 'repeaterCompatible', 'securityParams']),
    );
    const help = await dx(['send-bulk', '--help'], { env: baseEnv(home.home) });
    const jsonl = /JSONL \(default[\s\S]*?\n {2}CSV/.exec(help.stdout)?.[0] ?? '';
    for (const field of fields) expect(jsonl, field).toContain(`"${field}"`);
  });
});
