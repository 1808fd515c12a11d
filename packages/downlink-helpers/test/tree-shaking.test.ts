import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** The part of esbuild's API used here; esbuild is not a direct dependency, so no types. */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

/** esbuild comes with tsup (a root devDependency); resolved from there, not declared again. */
async function bundle(imports: string, from = entry): Promise<string> {
  const require = createRequire(import.meta.url);
  const esbuild = createRequire(require.resolve('tsup'))('esbuild') as Esbuild;
  const result = await esbuild.build({
    stdin: {
      contents: `import { ${imports} } from ${JSON.stringify(from)};\nglobalThis.x = [${imports}];`,
      resolveDir: '.',
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    treeShaking: true,
    minify: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('tree shaking', () => {
  it('leaves the region table, Cayenne table and codec adapter out of a hex-only bundle', async () => {
    const code = await bundle('hexToBytes, bytesToHex');
    expect(code).toContain('function hexToBytes');
    for (const absent of [
      'EU868',
      'CN470',
      'temperature',
      'accelerometer',
      'encodeDownlink',
      'spreadingFactor',
    ]) {
      expect(code).not.toContain(absent);
    }
  });

  // The built file is one module, so only statement-level tree shaking applies there: tables
  // built by a call at module level stay unless marked pure.
  it.skipIf(!existsSync(dist))(
    'leaves the tables out of a hex-only bundle of the built file',
    async () => {
      const code = await bundle('hexToBytes', dist);
      for (const absent of ['EU868', 'temperature', 'u16be']) expect(code).not.toContain(absent);
      expect(await bundle('encodeLayout', dist)).toContain('u16be');
    },
  );

  it('keeps the region table when maxPayloadSize is used (the check above can fail)', async () => {
    const code = await bundle('maxPayloadSize');
    expect(code).toContain('EU868');
    expect(code).not.toContain('temperature');
  });
});
