import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = (file: string) => fileURLToPath(new URL(`../src/${file}`, import.meta.url));

interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

/** A browser bundle of `imports` from `entry`, with Node built-ins left external (visible). */
async function browserBundle(imports: string, entry: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const esbuild = createRequire(require.resolve('tsup'))('esbuild') as Esbuild;
  const result = await esbuild.build({
    stdin: {
      contents: `import { ${imports} } from ${JSON.stringify(entry)};\nglobalThis.x = [${imports}];`,
      resolveDir: '.',
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    external: ['node:*'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('browser bundle', () => {
  it('keeps node:fs out of the main entry, fleet sending included', async () => {
    const code = await browserBundle('sendDownlinks, createMemoryJournal', src('index.ts'));
    expect(code).toContain('sendDownlinks');
    expect(code).not.toMatch(/node:fs|node:readline/);
  });

  it('shows node:fs in the file journal entry (the check above can fail)', async () => {
    const code = await browserBundle('createFileJournal', src('node/file-journal.ts'));
    expect(code).toContain('node:fs');
  });
});
