import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Every public export of the packages carries a TSDoc comment with an `@example`, read back
 * from TypeDoc's own model of the API (the same one `pnpm run docs` renders).
 */
const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

interface Comment {
  summary?: { text: string }[];
  blockTags?: { tag: string }[];
}
interface Reflection {
  name: string;
  kind: number;
  comment?: Comment;
  signatures?: { comment?: Comment }[];
  children?: Reflection[];
}

let scratch = '';
let modules: Reflection[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dx-typedoc-'));
  const out = join(scratch, 'api.json');
  await run(join(ROOT, 'node_modules/.bin/typedoc'), ['--json', out, '--logLevel', 'Error'], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  modules = (JSON.parse(await readFile(out, 'utf8')) as Reflection).children ?? [];
}, 120_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function commentOf(reflection: Reflection): Comment | undefined {
  return reflection.comment ?? reflection.signatures?.find((s) => s.comment)?.comment;
}

function undocumented(module: Reflection): string[] {
  const missing: string[] = [];
  for (const child of module.children ?? []) {
    const comment = commentOf(child);
    const summary =
      comment?.summary
        ?.map((part) => part.text)
        .join('')
        .trim() ?? '';
    const hasExample = comment?.blockTags?.some((tag) => tag.tag === '@example') ?? false;
    if (!summary || !hasExample)
      missing.push(
        `${child.name}${summary ? '' : ' (no summary)'}${hasExample ? '' : ' (no @example)'}`,
      );
  }
  return missing;
}

describe('TSDoc on every public export', () => {
  it.each(['@dx/core-client', '@dx/downlink-helpers', '@dx/mock'])('%s', (name) => {
    const module = modules.find((m) => m.name === name);
    expect(module, `${name} is missing from the TypeDoc model`).toBeDefined();
    expect((module?.children ?? []).length).toBeGreaterThan(5);
    expect(
      undocumented(module as Reflection),
      'a model of the spec takes its summary and example from its schema: add `description` and ' +
        '`example` to the schema in the fragment overlay, then `pnpm generate`',
    ).toEqual([]);
  });
});
