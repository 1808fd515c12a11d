import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Every public export of the packages carries a TSDoc comment with an `@example`, read back
 * from TypeDoc's own model of the API. The model is built from one TypeScript program over the
 * three entry points (the sources only), which gives every export the same comment as
 * `pnpm docs:api`'s per-package programs at a fraction of the cost.
 */
const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const PACKAGES = ['core-client', 'downlink-helpers', 'mock'];

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
  const entries = PACKAGES.map((name) => join(ROOT, 'packages', name, 'src/index.ts'));
  const tsconfig = join(scratch, 'tsconfig.json');
  await writeFile(
    tsconfig,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.base.json'),
      compilerOptions: {
        noEmit: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
      },
      files: entries,
    }),
  );
  // An empty options file: typedoc.json (the per-package site build) is not read.
  const options = join(scratch, 'typedoc.json');
  await writeFile(options, '{}');
  const args = ['--options', options, '--tsconfig', tsconfig, '--entryPointStrategy', 'resolve'];
  for (const entry of entries) args.push('--entryPoints', entry);
  // The types are checked by `pnpm typecheck`; this reads comments only.
  args.push('--excludePrivate', '--excludeInternal', '--disableSources', '--skipErrorChecking');
  args.push('--json', out, '--logLevel', 'Error');
  await run(join(ROOT, 'node_modules/.bin/typedoc'), args, {
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
  it.each(PACKAGES)('@dx/%s', (name) => {
    // Named after the entry point's folder in a multi-entry model.
    const module = modules.find((m) => m.name === `${name}/src`);
    expect(module, `${name} is missing from the TypeDoc model`).toBeDefined();
    expect((module?.children ?? []).length).toBeGreaterThan(5);
    expect(
      undocumented(module as Reflection),
      'a model of the spec takes its summary and example from its schema: add `description` and ' +
        '`example` to the schema in the fragment overlay, then `pnpm generate`',
    ).toEqual([]);
  });
});
