import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'node/file-journal': 'src/node/file-journal.ts',
    'node/postgres-journal': 'src/node/postgres/postgres-journal.ts',
  },
  // pg is an optional peer dependency: loaded by the postgres-journal entry only, never bundled.
  external: ['pg'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  // One self-contained file per entry: a shared chunk would cost every import of the main entry
  // a module boundary, and the file journal needs only DownlinkError (its brand makes the
  // copies interchangeable for instanceof).
  splitting: false,
  target: 'es2022',
});
