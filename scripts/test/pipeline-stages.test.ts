import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { convertToOpenApi3 } from '../pipeline/convert.js';
import { loadYamlDocument } from '../pipeline/load.js';
import { mergeFragments } from '../pipeline/merge.js';
import { checkOperations } from '../pipeline/operations.js';
import { actionMaking, applyOverlay, targetPointer } from '../pipeline/overlay.js';
import { MAX_LISTED_PROBLEMS, PipelineError } from '../pipeline/pipeline-error.js';
import { sourceLines } from '../pipeline/source-lines.js';
import { validateSpec } from '../pipeline/validate.js';

const SEED = 'specs/dx-core/downlink-messages.swagger.yaml';
const OVERLAY = 'specs/dx-core/downlink-messages.overlay.yaml';
const PROPOSED = 'specs/dx-core/downlink-messages.proposed.overlay.yaml';
const API_OVERLAY = 'specs/dx-core/api.overlay.yaml';

async function load(file: string): Promise<Record<string, unknown>> {
  return loadYamlDocument(await readFile(file, 'utf8'), file);
}

/** The seed with the API-level overlay, its proposed and its own, as the pipeline applies them. */
async function patchedSeed(): Promise<Record<string, unknown>> {
  const shared = await applyOverlay(await load(SEED), await load(API_OVERLAY), API_OVERLAY);
  const proposed = await applyOverlay(shared, await load(PROPOSED), PROPOSED);
  return applyOverlay(proposed, await load(OVERLAY), OVERLAY);
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
    const patched = await patchedSeed();
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
      pointer: '/paths/~1devices~1{device}~1downlinkMessages/post/parameters/3/schema/$ref',
      reason: /unresolved \$ref: #\/definitions\/holder does not exist/,
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

  it('reports every finding at once, about the parameter it concerns, with its source line', async () => {
    // 60 operations with two typeless query parameters each: 120 findings in one run.
    const operations = Array.from(
      { length: 60 },
      (_, i) =>
        `  /things${i}:\n    get:\n      operationId: getThings${i}\n      parameters:\n` +
        `      - in: query\n        name: a${i}\n      - in: query\n        name: b${i}\n` +
        `      responses:\n        200:\n          description: OK\n`,
    );
    const text = `swagger: '2.0'\ninfo:\n  title: t\n  version: '1'\npaths:\n${operations.join('')}`;
    const lineOf = sourceLines(text);
    const error = await expectPipelineError(
      validateSpec(loadYamlDocument(text, 'many.yaml'), 'many.yaml', '2.0', (p) => {
        const line = lineOf(p);
        return line === undefined ? undefined : `many.yaml:${line}`;
      }),
      { file: 'many.yaml', reason: /Swagger 2\.0 validation failed: 120 problems/ },
    );
    expect(error.problems).toHaveLength(120);
    for (const problem of error.problems) {
      expect(problem.reason).toMatch(/^parameter "[ab]\d+" \(in: query\) has no type/);
    }
    const first = error.problems[0]!;
    expect(first.pointer).toBe('/paths/~1things0/get/parameters/0');
    expect(first.source).toBe(`many.yaml:${text.split('\n').indexOf('      - in: query') + 1}`);
    expect(error.message).not.toContain("required property 'schema'");
    expect(error.message).toContain(`... and ${120 - MAX_LISTED_PROBLEMS} more`);
  });

  it('names a path parameter without required: true, and no noise from other branches', async () => {
    const spec = {
      swagger: '2.0',
      info: { title: 't', version: '1' },
      paths: {
        '/x/{id}': {
          get: {
            parameters: [{ in: 'path', name: 'id', type: 'string' }],
            responses: { 200: { description: 'OK' } },
          },
        },
      },
    };
    const error = await expectPipelineError(validateSpec(spec, 'p.yaml', '2.0'), {
      file: 'p.yaml',
      pointer: '/paths/~1x~1{id}/get/parameters/0',
      reason: /parameter "id" \(in: path\) needs required: true/,
    });
    expect(error.problems).toEqual([]);
  });

  it('reports every dangling $ref, not only the first', async () => {
    const spec = {
      swagger: '2.0',
      info: { title: 't', version: '1' },
      paths: {},
      definitions: {
        A: { $ref: '#/definitions/holder' },
        B: { type: 'array', items: { $ref: '#/definitions/other' } },
      },
    };
    const error = await expectPipelineError(validateSpec(spec, 'r.yaml', '2.0'), {
      file: 'r.yaml',
      reason: /unresolved \$ref: 2 problems/,
    });
    expect(error.problems.map((p) => p.pointer)).toEqual([
      '/definitions/A/$ref',
      '/definitions/B/items/$ref',
    ]);
  });

  it('checks the version field before anything else', async () => {
    await expectPipelineError(validateSpec({ openapi: '3.0.0' }, 'x.yaml', '2.0'), {
      file: 'x.yaml',
      pointer: '/swagger',
      reason: /Swagger 2\.0/,
    });
  });
});

describe('operations', () => {
  it('accepts the repaired seed', async () => {
    const patched = await patchedSeed();
    expect(() => checkOperations(patched, SEED)).not.toThrow();
  });

  it('wants one tag and a short operationId on every operation, and lists them all', async () => {
    const seed = await load(SEED);
    const error = await expectPipelineError(() => checkOperations(seed, SEED), {
      file: SEED,
      reason: /operations not ready for the generator \(2 findings\)/,
    });
    expect(error.problems.map((p) => p.reason)).toEqual([
      'needs exactly one tag, has 3 (Downlink, Message, Sending)',
      expect.stringMatching(
        /^needs a camelCase operationId of at most 48 characters, has "sends-a-new/,
      ),
    ]);
  });
});

describe('locating a finding', () => {
  it('maps a pointer to its line in the upstream file, numeric YAML keys included', async () => {
    const text = await readFile(SEED, 'utf8');
    const lineOf = sourceLines(text);
    const lines = text.split('\n');
    const at = (pointer: string): string | undefined => lines[lineOf(pointer)! - 1];
    expect(at('/paths/~1devices~1{device}~1downlinkMessages/post/operationId')).toMatch(
      /^\s+operationId: sends-a-new/,
    );
    expect(at('/paths/~1devices~1{device}~1downlinkMessages/post/responses/200')).toMatch(
      /^\s+description: OK/,
    );
    expect(lineOf('/definitions/DownlinkMessage')).toBeUndefined();
  });

  it('finds the overlay action that made a node the upstream file does not have', async () => {
    const overlay = await load(OVERLAY);
    const actions = overlay.actions as { target: string; update?: Record<string, unknown> }[];
    const index = actionMaking(overlay, '/definitions/DownlinkMessage/properties/payloadHex')!;
    expect(Object.keys(actions[index]?.update?.definitions ?? {})).toContain('DownlinkMessage');
    const post = '/paths/~1devices~1{device}~1downlinkMessages/post';
    expect(actions[actionMaking(overlay, `${post}/parameters/1`)!]?.target).toMatch(
      /\.post\.parameters$/,
    );
    expect(actionMaking(overlay, '/nowhere')).toBeUndefined();
  });

  it('reads the simple JSONPath forms as pointers and refuses filters', () => {
    expect(targetPointer('$')).toBe('');
    expect(targetPointer("$.paths['/a/{b}'].get.tags")).toBe('/paths/~1a~1{b}/get/tags');
    expect(targetPointer('$.x[2]["y"]')).toBe('/x/2/y');
    expect(targetPointer('$.paths[*].get')).toBeUndefined();
  });
});

describe('convert', () => {
  it('produces a valid OpenAPI 3 document with the security scheme and typed body', async () => {
    const patched = await patchedSeed();
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
        reason: /b\.yaml defines \/components\/schemas\/Shared differently from a\.yaml/,
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
        reason: /b\.yaml defines \/paths\/~1a\/get differently from a\.yaml/,
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
        reason:
          /b\.yaml defines \/info differently from a\.yaml:\n\s+- title: T\n\s+\+ title: Other/,
      },
    );
  });

  /**
   * The report itself, field by field: the merged output alone cannot show the check (the first
   * fragment's value would win silently), so each API-wide field is made to disagree in turn and
   * the problem must name it, blame the odd fragment and show both values.
   */
  it.each([
    ['openapi', '3.0.3', /- 3\.0\.0\n\s+\+ 3\.0\.3/],
    ['info', { title: 'T', version: '2' }, /- version: "1"\n\s+\+ version: "2"/],
    [
      'servers',
      [{ url: 'https://other.invalid' }],
      /- \(absent\)\n\s+\+ - url: https:\/\/other\.invalid/,
    ],
    ['security', [{ otherAuth: [] }], /- - sharedAuth: \[\]\n\s+\+ - otherAuth: \[\]/],
  ] as const)('reports a fragment whose %s differs from the others', async (field, value, diff) => {
    const shared = { ...base, paths: {}, security: [{ sharedAuth: [] }] };
    const odd = { ...shared, [field]: value };
    const error = await expectPipelineError(
      () =>
        mergeFragments([
          { file: 'a.yaml', spec: { ...shared, paths: base.paths } },
          { file: 'b.yaml', spec: odd },
          { file: 'c.yaml', spec: shared },
        ]),
      {
        file: 'b.yaml',
        pointer: `/${field}`,
        reason: new RegExp(`^b\\.yaml defines /${field} differently from a\\.yaml, c\\.yaml:\n`),
      },
    );
    expect(error.reason).toMatch(diff);
  });

  it('reports a fragment without the security the others require', async () => {
    const secured = { ...base, security: [{ sharedAuth: [] }] };
    const { security: _dropped, ...open } = { ...secured, paths: {} };
    const error = await expectPipelineError(
      () =>
        mergeFragments([
          { file: 'a.yaml', spec: secured },
          { file: 'b.yaml', spec: open },
          { file: 'c.yaml', spec: { ...secured, paths: {} } },
        ]),
      { file: 'b.yaml', pointer: '/security', reason: /^b\.yaml defines \/security differently/ },
    );
    expect(error.reason).toMatch(/- - sharedAuth: \[\]\n\s+\+ \(absent\)/);
  });

  it('blames the fragment that disagrees with the others, not the first in file order', async () => {
    const odd = { ...base, paths: {}, info: { title: 'Odd', version: '1' } };
    const error = await expectPipelineError(
      () =>
        mergeFragments([
          { file: 'a.yaml', spec: odd },
          { file: 'b.yaml', spec: { ...base, paths: {} } },
          { file: 'c.yaml', spec: base },
        ]),
      {
        file: 'a.yaml',
        pointer: '/info',
        reason: /a\.yaml defines \/info differently from b\.yaml, c\.yaml/,
      },
    );
    expect(error.reason).toMatch(/- title: T\n\s+\+ title: Odd/);
  });

  it('reports every conflict at once, a base path of another API included', async () => {
    const core = { ...base, servers: [{ url: 'https://dx.invalid/core/latest/api' }] };
    const admin = {
      ...core,
      servers: [{ url: 'https://dx.invalid/admin/latest/api' }],
      paths: { '/b': { get: { operationId: 'getA', responses: {} } } },
      components: { schemas: { Shared: { type: 'integer' } } },
    };
    const error = await expectPipelineError(
      () =>
        mergeFragments([
          { file: 'a.yaml', spec: core },
          { file: 'b.yaml', spec: admin },
        ]),
      { file: 'b.yaml', reason: /^3 conflicts between fragments$/ },
    );
    expect(error.problems.map((p) => p.pointer)).toEqual([
      '/servers',
      '/components/schemas/Shared',
      '/paths/~1b/get/operationId',
    ]);
    expect(error.problems[0]?.reason).toMatch(
      /- - url: https:\/\/dx\.invalid\/core\/latest\/api\n\s+\+ - url: https:\/\/dx\.invalid\/admin/,
    );
  });
});
