/**
 * A bundle that names one service carries that service and no other, so an app's size does not
 * grow with the API (issue 16). Bundled with esbuild, not minified, so that class names and
 * operation paths can be looked for in the output.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAll } from '../pipeline/generate-all.js';
import { SAMPLE, sampleRepo } from '../test-support/sample-api.js';

const ROOT = process.cwd();

async function bundle(code: string, resolveDir: string, plugins: Plugin[] = []): Promise<string> {
  const result = await build({
    stdin: { contents: code, resolveDir, loader: 'ts' },
    bundle: true,
    treeShaking: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    plugins,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

/** esbuild writes a class as `class Name` or `var Name = class`, depending on its uses. */
function classes(output: string): string[] {
  return [...output.matchAll(/\bclass (\w+)|\b(\w+) = class\b/g)].map((m) => (m[1] ?? m[2])!);
}

describe('a generated API of two services (the sample API)', () => {
  let repo: string;
  let index: string;
  // The generated core points at the hand-written runtime, which the sample repo does not hold.
  const runtimeOutside: Plugin = {
    name: 'runtime-outside',
    setup(b) {
      b.onResolve({ filter: /\/runtime\/request$/ }, (args) => ({
        path: args.path,
        external: true,
      }));
    },
  };

  beforeAll(async () => {
    repo = await sampleRepo(['widgets', 'devices']);
    await generateAll(repo, [SAMPLE]);
    index = join(repo, SAMPLE.clientDir, 'index.ts');
  });
  afterAll(() => rm(repo, { recursive: true, force: true }));

  it('keeps only the service a bundle names', async () => {
    const code = `import { WidgetService, type BaseHttpRequest } from ${JSON.stringify(index)};
export const widget = (request: BaseHttpRequest) => new WidgetService(request).getWidget({ widgetRef: 'w' });`;
    const output = await bundle(code, repo, [runtimeOutside]);
    expect(classes(output)).toContain('WidgetService');
    expect(output).toContain('/widgets/{widgetRef}');
    expect(classes(output)).not.toContain('DeviceService');
    expect(output).not.toContain('/devices');
    expect(classes(output)).not.toContain('SampleClient');
  });

  it('carries every service once the client object is used (why the client grows with the spec)', async () => {
    const code = `import { SampleClient } from ${JSON.stringify(index)};
export const widget = new SampleClient().widget.getWidget({ widgetRef: 'w' });`;
    const output = await bundle(code, repo, [runtimeOutside]);
    expect(classes(output)).toEqual(expect.arrayContaining(['DeviceService', 'WidgetService']));
  });
});

describe('@dx/core-client as published (dist)', () => {
  const dist = join(ROOT, 'packages/core-client/dist/index.js');

  it('createDxRequest with one service leaves the client class and its other services out', async () => {
    const code = `import { createDxRequest, DownlinkService } from ${JSON.stringify(dist)};
export const downlink = new DownlinkService(createDxRequest({ auth: { token: 't' } }));`;
    const output = await bundle(code, ROOT);
    expect(classes(output)).toContain('DownlinkService');
    expect(classes(output)).not.toContain('DxCoreClient');
  });

  it('createDxClient carries the client class that builds every service', async () => {
    const code = `import { createDxClient } from ${JSON.stringify(dist)};
export const client = createDxClient({ auth: { token: 't' } });`;
    expect(classes(await bundle(code, ROOT))).toContain('DxCoreClient');
  });
});
