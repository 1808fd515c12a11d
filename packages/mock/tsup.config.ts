import { defineConfig } from 'tsup';

export default defineConfig({
  // bin.ts starts with a shebang, which esbuild keeps; bin/dx-mock.js (committed) runs dist/bin.js.
  entry: ['src/index.ts', 'src/msw.ts', 'src/bin.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: ['src/index.ts', 'src/msw.ts'] },
  sourcemap: true,
  clean: true,
  treeshake: true,
  target: 'es2022',
  external: ['msw'],
});
