import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The package's layers, bottom first: an import may only run down or sideways, so each layer
 * can be read, tested and bundled without the ones above it. The Node-only journals (file and
 * PostgreSQL, in node/) are the top layer.
 */
const LAYERS = [[''], ['lorawan'], ['encoders'], ['sending'], ['node']];
const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** '' for the bottom (errors, checks, describe; index.ts is the exception, see below). */
const layerOf = (file: string): number => {
  const top = relative(SRC, file).split('/');
  const folder = top.length > 1 ? (top[0] as string) : '';
  const layer = LAYERS.findIndex((folders) => folders.includes(folder));
  // A folder of no layer would sit below the bottom and pass every check: name it here.
  if (layer < 0) throw new Error(`src/${folder}/ belongs to no layer of LAYERS`);
  return layer;
};

describe('@dx/downlink-helpers layers', () => {
  it('no module imports from a layer above its own', () => {
    const upward: string[] = [];
    for (const file of sources(SRC)) {
      if (relative(SRC, file) === 'index.ts') continue; // the entry re-exports every layer
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const imported = join(dirname(file), target as string);
        if (layerOf(imported) > layerOf(file)) {
          upward.push(`${relative(SRC, file)} imports ${relative(SRC, imported)}`);
        }
      }
    }
    expect(upward).toEqual([]);
  });
});
