import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { proposeForFragment } from '../overlay-proposal/proposal-file.js';
import { proposedOverlayFile } from '../pipeline/build-api.js';
import { checkBasePath } from '../pipeline/base-path.js';
import { generateAll } from '../pipeline/generate-all.js';
import { loadYamlDocument } from '../pipeline/load.js';
import { checkOperations } from '../pipeline/operations.js';
import { PipelineError } from '../pipeline/pipeline-error.js';
import { sourceLines } from '../pipeline/source-lines.js';
import { FIXTURES, SAMPLE, sampleRepo } from '../test-support/spec-repos.js';

const RUNTIME = 'packages/core-client/src/runtime/request.ts';

/** Ready for the generator (one tag, short ids, types), but not for the request runtime. */
const FRAGMENT = `swagger: '2.0'
info:
  title: t
  version: '1'
security:
  - auth: []
securityDefinitions:
  auth:
    type: oauth2
    flow: application
    tokenUrl: https://auth.invalid/token
    scopes: {}
parameters:
  sharedSecret:
    in: formData
    name: client_secret
    type: string
paths:
  /oauth/token:
    post:
      operationId: createToken
      tags: [Token]
      parameters:
        - in: query
          name: renewToken
          type: boolean
        - in: formData
          name: client_id
          type: string
      responses:
        200:
          description: OK
  /oauth/tokeninfo:
    get:
      operationId: getTokenInfo
      tags: [Token]
      security: []
      responses:
        200:
          description: OK
  /oauth/revoke:
    parameters:
      - $ref: '#/parameters/sharedSecret'
    post:
      operationId: revokeToken
      tags: [Token]
      responses:
        200:
          description: OK
  /devices:
    get:
      operationId: listDevices
      tags: [Device]
      security:
        - auth: []
      responses:
        200:
          description: OK
`;

function caught(run: () => unknown): PipelineError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineError);
    return error as PipelineError;
  }
  throw new Error('expected a PipelineError');
}

describe('what the request runtime does not honour', () => {
  it('refuses formData parameters and an operation-level security, all at once, with lines', () => {
    const lineOf = sourceLines(FRAGMENT);
    const lines = FRAGMENT.split('\n');
    const error = caught(() =>
      checkOperations(loadYamlDocument(FRAGMENT, 'f.yaml'), 'f.yaml', (p) => {
        const line = lineOf(p);
        return line === undefined ? undefined : `f.yaml:${line}`;
      }),
    );
    expect(error.reason).toBe(
      'operations not ready for the generator and the request runtime (3 findings)',
    );
    expect(error.hint).toContain(`teach ${RUNTIME} first`);
    expect(error.problems.map((p) => [p.pointer, p.source])).toEqual([
      [
        '/paths/~1oauth~1token/post/parameters/1',
        `f.yaml:${lines.indexOf('        - in: formData') + 1}`,
      ],
      [
        '/paths/~1oauth~1tokeninfo/get/security',
        `f.yaml:${lines.indexOf('      security: []') + 1}`,
      ],
      [
        '/paths/~1oauth~1revoke/parameters/0',
        `f.yaml:${lines.indexOf("      - $ref: '#/parameters/sharedSecret'") + 1}`,
      ],
    ]);
    const [formData, security, shared] = error.problems.map((p) => p.reason);
    expect(formData).toBe(
      `POST /oauth/token has the formData parameter "client_id", but the request runtime does not honour formData yet (it sends JSON bodies only; teach ${RUNTIME})`,
    );
    expect(security).toMatch(
      /^GET \/oauth\/tokeninfo has its own security \[\] \(the API's is \[\{"auth":\[\]\}\]\), but the request runtime does not honour it yet/,
    );
    expect(shared).toMatch(/^POST \/oauth\/revoke has the formData parameter "client_secret"/);
  });

  it('accepts an operation whose security is the API-wide one', () => {
    const spec = loadYamlDocument(FRAGMENT, 'f.yaml');
    const paths = spec.paths as Record<string, unknown>;
    for (const path of ['/oauth/token', '/oauth/tokeninfo', '/oauth/revoke']) delete paths[path];
    expect(() => checkOperations(spec, 'f.yaml')).not.toThrow();
  });

  it('refuses security: [] set by an overlay, naming the action, in a full pipeline run', async () => {
    const repo = await sampleRepo(['widgets']);
    const overlayFile = join(repo, SAMPLE.specDir, 'widgets.overlay.yaml');
    const overlay = await readFile(overlayFile, 'utf8');
    await writeFile(
      overlayFile,
      `${overlay}  - target: $.paths['/widgets/{widgetRef}'].get
    description: Public, no token needed.
    update:
      security: []
`,
    );
    const error = (await generateAll(repo, [SAMPLE]).catch((e: unknown) => e)) as PipelineError;
    expect(error).toBeInstanceOf(PipelineError);
    const actions = loadYamlDocument(overlay, overlayFile).actions as unknown[];
    expect(error.problems).toEqual([
      {
        pointer: '/paths/~1widgets~1{widgetRef}/get/security',
        source: `${overlayFile}#/actions/${actions.length}`,
        reason: expect.stringMatching(/^GET \/widgets\/\{widgetRef\} has its own security \[\]/),
      },
    ]);
  });

  it('refuses a crawled formData operation that the proposal typed, at its fragment line', async () => {
    const repo = await sampleRepo([]);
    const fragment = join(repo, SAMPLE.specDir, 'tokens.swagger.yaml');
    const crawled = (await readFile(join(FIXTURES, 'widgets.swagger.yaml'), 'utf8')).replace(
      /paths:[\s\S]*$/,
      '',
    ).concat(`paths:
  /oauth/token:
    post:
      summary: Token Generation
      operationId: generates-and-retrieves-a-token-for-a-client
      parameters:
      - in: formData
        name: client_id
        description: Id of the client
      responses:
        200:
          description: OK
      tags:
      - Token
      - Generation
---
`);
    await writeFile(fragment, crawled);
    const { text } = await proposeForFragment(fragment, 'specs/sample/tokens.swagger.yaml');
    await writeFile(proposedOverlayFile(fragment), text);
    await writeFile(
      join(repo, SAMPLE.specDir, 'tokens.overlay.yaml'),
      `overlay: 1.0.0
info:
  title: t
  version: 1.0.0
actions:
  - target: $.paths['/oauth/token'].post.responses['200']
    description: Typed answer.
    update:
      schema:
        type: object
`,
    );
    const error = (await generateAll(repo, [SAMPLE]).catch((e: unknown) => e)) as PipelineError;
    expect(error).toBeInstanceOf(PipelineError);
    const line = crawled.split('\n').indexOf('      - in: formData') + 1;
    expect(error.problems.map((p) => [p.pointer, p.source])).toEqual([
      ['/paths/~1oauth~1token/post/parameters/0', `${fragment}:${line}`],
    ]);
    expect(text).toContain('parameter "client_id" is a formData field');
  });
});

describe('a fragment crawled from another API', () => {
  it('passes a base path that differs only by its version', () => {
    const upstream = { basePath: '/core/v141/api' };
    expect(() =>
      checkBasePath(upstream, { basePath: '/core/latest/api' }, 'f.yaml', { decided: false }),
    ).not.toThrow();
    expect(() =>
      checkBasePath(upstream, { basePath: '/core/v155/api' }, 'f.yaml', { decided: false }),
    ).not.toThrow();
  });

  it('refuses an Admin fragment that the API-level overlay would rebase onto Core', async () => {
    const repo = await sampleRepo(['widgets', 'devices']);
    const fragment = join(repo, SAMPLE.specDir, 'widgets.swagger.yaml');
    const text = await readFile(fragment, 'utf8');
    await writeFile(
      fragment,
      text.replace('basePath: /sample/v1/api', 'basePath: /admin/v140/api'),
    );
    const error = (await generateAll(repo, [SAMPLE]).catch((e: unknown) => e)) as PipelineError;
    expect(error).toBeInstanceOf(PipelineError);
    const line = text.split('\n').indexOf('basePath: /sample/v1/api') + 1;
    expect(error.file).toBe(fragment);
    expect(error.pointer).toBe('/basePath');
    expect(error.reason).toBe(
      `the fragment was crawled from base path /admin/v140/api (${fragment}:${line}), another API than the /sample/latest/api it is built into: its operations would be called on the wrong URL`,
    );
    expect(error.hint).toMatch(/folder of its own API/);
  });

  it('accepts the move when the fragment overlay sets the base path itself, with its reason', async () => {
    const repo = await sampleRepo(['widgets']);
    const fragment = join(repo, SAMPLE.specDir, 'widgets.swagger.yaml');
    const text = await readFile(fragment, 'utf8');
    await writeFile(
      fragment,
      text.replace('basePath: /sample/v1/api', 'basePath: /admin/v140/api'),
    );
    const overlayFile = join(repo, SAMPLE.specDir, 'widgets.overlay.yaml');
    await writeFile(
      overlayFile,
      `${await readFile(overlayFile, 'utf8')}  - target: $
    description: The crawl filed this operation under the wrong API; it is served on the sample path.
    update:
      basePath: /sample/latest/api
`,
    );
    await generateAll(repo, [SAMPLE]);
    expect(await readFile(join(repo, SAMPLE.openapiFile), 'utf8')).toContain(
      '- url: https://api.invalid/sample/latest/api',
    );
  });
});
