import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { convertToOpenApi3 } from '../pipeline/convert.js';
import { loadYamlDocument } from '../pipeline/load.js';
import { mergeFragments } from '../pipeline/merge.js';
import { applyOverlay } from '../pipeline/overlay.js';
import { PipelineError } from '../pipeline/pipeline-error.js';
import { validateSpec } from '../pipeline/validate.js';

const SEED = 'specs/dx-core/downlink-messages.swagger.yaml';
const OVERLAY = 'specs/dx-core/downlink-messages.overlay.yaml';

async function load(file: string): Promise<Record<string, unknown>> {
  return loadYamlDocument(await readFile(file, 'utf8'), file);
}

async function expectPipelineError(
  promise: Promise<unknown> | (() => unknown),
  expected: { file: string; pointer?: string | RegExp; reason: RegExp },
): Promise<PipelineError> {
  let caught: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(PipelineError);
  const error = caught as PipelineError;
  expect(error.file).toBe(expected.file);
  expect(error.reason).toMatch(expected.reason);
  if (expected.pointer !== undefined) expect(error.pointer).toMatch(expected.pointer);
  expect(error.message).toContain(expected.file);
  expect(error.hint.length).toBeGreaterThan(0);
  return error;
}

describe('load', () => {
  it('reads the seed, whose --- markers make a second empty document', async () => {
    const spec = await load(SEED);
    expect(spec.swagger).toBe('2.0');
    expect(Object.keys(spec.paths as object)).toEqual(['/devices/{device}/downlinkMessages']);
  });

  it('names the line of invalid YAML', async () => {
    const text = 'swagger: "2.0"\ninfo:\n  title: x\n  bad: [unclosed\npaths: {}\n';
    const error = await expectPipelineError(() => loadYamlDocument(text, 'broken.yaml'), {
      file: 'broken.yaml',
      reason: /invalid YAML at line \d+/,
    });
    expect(Number(/line (\d+)/.exec(error.reason)?.[1])).toBeGreaterThanOrEqual(4);
  });

  it('refuses two non-empty documents and says where the second starts', async () => {
    const text = '---\nswagger: "2.0"\n---\nswagger: "2.0"\ninfo: {}\n---\n';
    await expectPipelineError(() => loadYamlDocument(text, 'two.yaml'), {
      file: 'two.yaml',
      reason: /2 non-empty documents \(the second starts at line 4\)/,
    });
  });

  it('refuses a file without content and a top level that is not a mapping', async () => {
    await expectPipelineError(() => loadYamlDocument('---\n---\n', 'empty.yaml'), {
      file: 'empty.yaml',
      reason: /no YAML document/,
    });
    await expectPipelineError(() => loadYamlDocument('- a\n- b\n', 'list.yaml'), {
      file: 'list.yaml',
      reason: /not a mapping/,
    });
  });
});

describe('overlay', () => {
  it('repairs the seed so that it validates as Swagger 2.0', async () => {
    const patched = await applyOverlay(await load(SEED), await load(OVERLAY), OVERLAY);
    await expect(validateSpec(patched, SEED, '2.0')).resolves.toBeUndefined();
    const operation = (patched.paths as Record<string, Record<string, Record<string, unknown>>>)[
      '/devices/{device}/downlinkMessages'
    ]?.post;
    expect(operation?.operationId).toBe('sendDownlinkMessage');
    expect(operation?.tags).toEqual(['Downlink']);
    expect(patched.schemes).toEqual(['https']);
    expect(patched['x-streamrank']).toBeUndefined();
  });

  it('does not mutate the fragment it is given', async () => {
    const seed = await load(SEED);
    const before = structuredClone(seed);
    await applyOverlay(seed, await load(OVERLAY), OVERLAY);
    expect(seed).toEqual(before);
  });

  it('fails on an action whose target matches nothing, naming the action', async () => {
    const overlay = {
      overlay: '1.0.0',
      actions: [
        { target: '$.info', description: 'fine', update: { title: 'x' } },
        { target: "$.paths['/nope'].post", description: 'stale', update: { operationId: 'x' } },
      ],
    };
    await expectPipelineError(applyOverlay(await load(SEED), overlay, 'stale.overlay.yaml'), {
      file: 'stale.overlay.yaml',
      pointer: '/actions/1/target',
      reason: /matches nothing/,
    });
  });

  it.each([
    [{ overlay: '2.0.0', actions: [] }, '/overlay', /Overlay 1\.0/],
    [{ overlay: '1.0.0', actions: [] }, '/actions', /no actions/],
    [
      { overlay: '1.0.0', actions: [{ target: '$.info', update: {} }] },
      '/actions/0',
      /no description/,
    ],
    [
      { overlay: '1.0.0', actions: [{ target: 'info', description: 'd', update: {} }] },
      '/actions/0',
      /JSONPath/,
    ],
    [
      { overlay: '1.0.0', actions: [{ target: '$.info', description: 'd' }] },
      '/actions/0',
      /exactly one of update or remove/,
    ],
  ])('refuses a malformed overlay %#', async (overlay, pointer, reason) => {
    await expectPipelineError(applyOverlay(await load(SEED), overlay, 'bad.overlay.yaml'), {
      file: 'bad.overlay.yaml',
      pointer,
      reason,
    });
  });
});

describe('validate', () => {
  it('reports the dangling $ref of the unrepaired seed with its pointer', async () => {
    await expectPipelineError(validateSpec(await load(SEED), SEED, '2.0'), {
      file: SEED,
      pointer: '/definitions/holder',
      reason: /holder/,
    });
  });

  it('reports a validation error left after the overlay', async () => {
    const overlay = await load(OVERLAY);
    // Drop the action that types the parameters: the fragment stays invalid Swagger 2.0.
    const actions = (overlay.actions as { target: string }[]).filter(
      (a) => !a.target.endsWith('.parameters'),
    );
    const patched = await applyOverlay(await load(SEED), { ...overlay, actions }, OVERLAY);
    await expectPipelineError(validateSpec(patched, SEED, '2.0'), {
      file: SEED,
      reason: /Swagger 2\.0 validation failed/,
    });
  });

  it('checks the version field before anything else', async () => {
    await expectPipelineError(validateSpec({ openapi: '3.0.0' }, 'x.yaml', '2.0'), {
      file: 'x.yaml',
      pointer: '/swagger',
      reason: /Swagger 2\.0/,
    });
  });
});

describe('convert', () => {
  it('produces a valid OpenAPI 3 document with the security scheme and typed body', async () => {
    const patched = await applyOverlay(await load(SEED), await load(OVERLAY), OVERLAY);
    const converted = await convertToOpenApi3(patched, SEED);
    await expect(validateSpec(converted, SEED, '3.0')).resolves.toBeUndefined();
    expect(converted.servers).toEqual([{ url: 'https://dx-api.thingpark.com/core/latest/api' }]);
    const schemes = (converted.components as Record<string, Record<string, unknown>>)
      .securitySchemes;
    expect(schemes?.dxOAuth2).toMatchObject({
      type: 'oauth2',
      flows: {
        clientCredentials: {
          tokenUrl: 'https://dx-api.thingpark.com/admin/latest/api/oauth/token',
        },
      },
    });
  });

  it('refuses to guess: the unrepaired seed does not convert', async () => {
    await expectPipelineError(convertToOpenApi3(await load(SEED), SEED), {
      file: SEED,
      reason: /conversion to OpenAPI 3 failed/,
    });
  });
});

describe('merge', () => {
  const base = {
    openapi: '3.0.0',
    info: { title: 'T', version: '1' },
    paths: { '/a': { get: { operationId: 'getA', responses: {} } } },
    components: { schemas: { Shared: { type: 'string' } } },
  };

  it('merges paths and components and keeps identical duplicates once', () => {
    const other = {
      ...base,
      paths: { '/b': { get: { operationId: 'getB', responses: {} } } },
      components: { schemas: { Shared: { type: 'string' }, Other: { type: 'integer' } } },
    };
    const merged = mergeFragments([
      { file: 'b.yaml', spec: other },
      { file: 'a.yaml', spec: base },
    ]);
    expect(Object.keys(merged.paths as object)).toEqual(['/a', '/b']);
    expect(Object.keys((merged.components as { schemas: object }).schemas)).toEqual([
      'Shared',
      'Other',
    ]);
  });

  it('refuses the same schema defined differently', async () => {
    const other = { ...base, paths: {}, components: { schemas: { Shared: { type: 'integer' } } } };
    await expectPipelineError(
      () =>
        mergeFragments([
          { file: 'a.yaml', spec: base },
          { file: 'b.yaml', spec: other },
        ]),
      {
        file: 'b.yaml',
        pointer: '/components/schemas/Shared',
        reason: /already defined differently/,
      },
    );
  });

  it('refuses the same operation defined differently', async () => {
    const other = {
      ...base,
      paths: { '/a': { get: { operationId: 'getA', responses: { '200': {} } } } },
    };
    await expectPipelineError(
      () =>
        mergeFragments([
          { file: 'a.yaml', spec: base },
          { file: 'b.yaml', spec: other },
        ]),
      {
        file: 'b.yaml',
        pointer: '/paths/~1a/get',
        reason: /GET \/a is already defined differently/,
      },
    );
  });

  it('refuses one operationId on two operations', async () => {
    const other = { ...base, paths: { '/b': { get: { operationId: 'getA', responses: {} } } } };
    await expectPipelineError(
      () =>
        mergeFragments([
          { file: 'a.yaml', spec: base },
          { file: 'b.yaml', spec: other },
        ]),
      {
        file: 'b.yaml',
        pointer: '/paths/~1b/get/operationId',
        reason: /operationId "getA" is already used/,
      },
    );
  });

  it('refuses fragments that disagree on API-wide fields', async () => {
    const other = { ...base, paths: {}, info: { title: 'Other', version: '1' } };
    await expectPipelineError(
      () =>
        mergeFragments([
          { file: 'a.yaml', spec: base },
          { file: 'b.yaml', spec: other },
        ]),
      {
        file: 'b.yaml',
        pointer: '/info',
        reason: /info differs/,
      },
    );
  });
});
