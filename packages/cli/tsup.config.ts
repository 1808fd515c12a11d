import { defineConfig } from 'tsup';

// A command line runs in Node only and is started, never imported: one ESM file with a
// shebang, no CJS build and no type declarations.
export default defineConfig({
  // Built as dist/cli.js, the path package.json's `bin` has always named. The codec runner is a
  // file of its own: run-codec.ts gives its text to a sandboxed `node -e`.
  entry: { cli: 'src/bin.ts', 'codec/codec-runner': 'src/codec/codec-runner.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: false,
  sourcemap: true,
  clean: true,
  banner: { js: '#!/usr/bin/env node' },
});
