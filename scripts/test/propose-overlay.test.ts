import { execFile } from 'node:child_process';
import { proposeOverlayCommand } from '../propose-overlay.js';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { operationIdFor } from '../overlay-proposal/naming.js';
import { inferParameterType } from '../overlay-proposal/parameter-type.js';
import { proposeForFragment, recordedKeep } from '../overlay-proposal/proposal-file.js';
import { proposeOverlay } from '../overlay-proposal/propose.js';
import { findFragments, proposedOverlayFile } from '../pipeline/build-api.js';
import { generateAll } from '../pipeline/generate-all.js';
import { loadYamlDocument } from '../pipeline/load.js';
import { checkOperations } from '../pipeline/operations.js';
import { applyOverlay } from '../pipeline/overlay.js';
import { PipelineError } from '../pipeline/pipeline-error.js';
import { validateSpec } from '../pipeline/validate.js';
import { findStaleFiles } from '../stale-files.js';
import {
  API,
  copyRepo,
  FIXTURES,
  ROOT,
  SAMPLE,
  sampleRepo,
  scratchDir,
} from '../test-support/spec-repos.js';

const run = promisify(execFile);
const SEED = 'specs/dx-core/downlink-messages.swagger.yaml';

/** A crawled-style fragment: the crawl's defects on several operations of two resources. */
const CRAWLED = `---
swagger: "2.0"
x-collection-name: Actility
info:
  title: Crawled
  version: 1.0.0
basePath: /core/v141/api
paths:
  /devices:
    get:
      summary: Devices retrieval
      operationId: retrieves-a-list-of-devices-existing-within-authorized-scopes
      x-api-path-slug: devices-get
      parameters:
      - in: query
        name: extendedInfo
        description: Indicates to retrieve all available information
      - in: query
        name: pageIndex
        description: If set, enables pagination and returns only the 100 devices of the page
      - in: query
        name: deviceEUI
        description: EUI of the device to search for
      responses:
        200:
          description: OK
      tags:
      - Devices
      - Retrieval
    post:
      summary: Device creation
      operationId: creates-a-new-device
      x-api-path-slug: devices-post
      parameters:
      - in: body
        name: device
        description: Contents of the device to create
        schema:
          $ref: '#/definitions/holder'
      responses:
        200:
          description: OK
      tags:
      - Device
      - Creation
  /devices/{deviceRef}:
    get:
      summary: Device retrieval
      operationId: retrieves-the-device-corresponding-to-the-provided-device-ref
      x-api-path-slug: devicesdeviceref-get
      parameters:
      - in: path
        name: deviceRef
        description: Ref of the device to retrieve
      responses:
        200:
          description: OK
      tags:
      - Device
      - Retrieval
  /deviceFrameStatistics:
    get:
      summary: Frame statistics retrieval
      operationId: retrieves-frame-statistics
      parameters:
      - in: query
        name: duration
        description: Period (number of days) for which frame statistics should be retrieved
      responses:
        200:
          description: OK
      tags:
      - Frame
      - Statistics
      - Retrieval
  /oauth/token:
    post:
      summary: Token Generation
      operationId: generates-and-retrieves-a-token-for-a-client
      security: []
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
x-streamrank:
  days_run: 0
---
`;

function crawled(): Record<string, unknown> {
  return loadYamlDocument(CRAWLED, 'crawled.swagger.yaml');
}

type Actions = { target: string; description: string; update?: unknown; remove?: true }[];

describe('operationIds from summaries', () => {
  it.each([
    [
      'post',
      '/devices/{device}/downlinkMessages',
      'Downlink message sending',
      'sendDownlinkMessage',
    ],
    ['get', '/devices', 'Device list retrieval', 'listDevices'],
    ['get', '/devices', 'Devices retrieval', 'listDevices'],
    ['get', '/devices/{deviceRef}', 'Device retrieval', 'getDevice'],
    ['post', '/devices', 'Device creation', 'createDevice'],
    ['put', '/devices/{deviceRef}', 'Device update', 'updateDevice'],
    ['delete', '/devices/{deviceRef}', 'Device deletion', 'deleteDevice'],
    ['get', '/ismBands', 'ISM Bands retrieval', 'listIsmBands'],
    ['get', '/asKeys', 'AS key retrieval', 'listAsKeys'],
    ['get', '/oauth/tokeninfo', 'Token Info Retrieval', 'getTokenInfo'],
    ['post', '/baseStations', 'Base stations creation', 'createBaseStation'],
    [
      'post',
      '/deviceAlarms/{deviceAlarmRef}/acks',
      'Device alarm acknowledgement',
      'acknowledgeDeviceAlarm',
    ],
    ['delete', '/orders/{orderRef}', 'Order cancellation', 'cancelOrder'],
    ['get', '/dns/{id}', 'DNS retrieval', 'getDns'],
  ])('%s %s "%s" -> %s', (method, path, summary, expected) => {
    expect(operationIdFor(method, path, summary)).toEqual({
      operationId: expected,
      fallback: false,
    });
  });

  it.each([
    ['get', '/devices/{deviceRef}', 'Device lookup', 'getDevicesByDeviceRef'],
    ['post', '/devices/{device}/downlinkMessages', undefined, 'postDownlinkMessages'],
    ['get', '/devices', 'retrieval', 'getDevices'],
  ])('falls back to method and path: %s %s %j -> %s', (method, path, summary, expected) => {
    expect(operationIdFor(method, path, summary)).toEqual({
      operationId: expected,
      fallback: true,
    });
  });
});

describe('parameter types from names and descriptions', () => {
  it.each([
    ['confirmDownlink', 'Indicates to send a downlink reception confirmation', 'boolean'],
    ['verbose', 'Whether to include every field', 'boolean'],
    ['force', 'If true, forces the deletion of all orders', 'boolean'],
    ['pageIndex', 'If set, enables pagination', 'integer'],
    ['limit', undefined, 'integer'],
    ['pageSize', 'Devices per page', 'integer'],
    ['duration', 'Period (number of days) for which statistics should be retrieved', 'integer'],
    ['deviceEUI', 'EUI of the device to search for', 'string'],
    ['healthState', undefined, 'string'],
  ])('%s (%j) -> %s', (name, description, expected) => {
    expect(inferParameterType(name, description)).toBe(expected);
  });
});

describe('proposeOverlay', () => {
  it('removes what is not kept (a path with nothing kept goes whole) and crawler metadata', () => {
    const proposal = proposeOverlay(crawled(), 'crawled.swagger.yaml', [
      'GET /devices',
      'GET /devices/{deviceRef}',
    ]);
    const removed = (proposal.actions as Actions).filter((a) => a.remove).map((a) => a.target);
    expect(removed).toEqual([
      "$['x-collection-name']",
      "$['x-streamrank']",
      "$.paths['/devices'].post",
      "$.paths['/deviceFrameStatistics']",
      "$.paths['/oauth/token']",
      "$.paths['/devices'].get.tags",
      "$.paths['/devices'].get['x-api-path-slug']",
      "$.paths['/devices/{deviceRef}'].get.tags",
      "$.paths['/devices/{deviceRef}'].get['x-api-path-slug']",
    ]);
    const reasons = (proposal.actions as Actions).find(
      (a) => a.target === "$.paths['/devices'].post",
    );
    expect(reasons?.description).toMatch(/not needed around downlinks.*--keep/i);
    expect(proposal.keep).toEqual(['GET /devices', 'GET /devices/{deviceRef}']);
    for (const action of proposal.actions) expect(action.description.length).toBeGreaterThan(10);
  });

  it('gives one tag, a short operationId and typed parameters, which the pipeline accepts', async () => {
    const spec = crawled();
    const proposal = proposeOverlay(spec, 'crawled.swagger.yaml', [
      'GET /devices',
      'GET /devices/{deviceRef}',
      'GET /deviceFrameStatistics',
    ]);
    const overlay = { overlay: '1.0.0', actions: proposal.actions };
    const patched = await applyOverlay(spec, overlay, 'crawled.proposed.overlay.yaml');
    const paths = patched.paths as Record<string, Record<string, Record<string, unknown>>>;
    expect(paths['/devices']?.get?.operationId).toBe('listDevices');
    expect(paths['/devices']?.get?.tags).toEqual(['Devices']);
    expect(paths['/devices/{deviceRef}']?.get?.operationId).toBe('getDevice');
    expect(paths['/devices/{deviceRef}']?.get?.tags).toEqual(['Device']);
    expect(paths['/deviceFrameStatistics']?.get?.operationId).toBe('listFrameStatistics');
    expect(paths['/devices']?.get?.parameters).toEqual([
      expect.objectContaining({ name: 'extendedInfo', type: 'boolean', required: false }),
      expect.objectContaining({ name: 'pageIndex', type: 'integer', required: false }),
      expect.objectContaining({ name: 'deviceEUI', type: 'string', required: false }),
    ]);
    expect(paths['/devices/{deviceRef}']?.get?.parameters).toEqual([
      expect.objectContaining({ name: 'deviceRef', in: 'path', type: 'string', required: true }),
    ]);
    expect(paths['/devices']?.get?.['x-api-path-slug']).toBeUndefined();
    expect(patched['x-streamrank']).toBeUndefined();
    expect(() => checkOperations(patched, 'crawled.swagger.yaml')).not.toThrow();
    // Nothing is invented: the untyped answers are left for the hand-written overlay.
    await expect(validateSpec(patched, 'crawled.swagger.yaml', '2.0')).resolves.toBeUndefined();
    expect(proposal.review.map((r) => `${r.operation}: ${r.text}`)).toEqual([
      expect.stringMatching(/^GET \/devices: response 200 has no schema/),
      expect.stringMatching(/^GET \/devices\/\{deviceRef\}: response 200 has no schema/),
      expect.stringMatching(/^GET \/deviceFrameStatistics: response 200 has no schema/),
      expect.stringMatching(/^\(document\): tags Device and Devices name one resource/),
    ]);
  });

  it('lists what it cannot decide as review items: undefined models, formData, own security', () => {
    const proposal = proposeOverlay(crawled(), 'crawled.swagger.yaml', [
      'POST /devices',
      'POST /oauth/token',
    ]);
    const texts = proposal.review.map((r) => `${r.operation}: ${r.text}`);
    expect(texts).toContainEqual(
      expect.stringMatching(
        /^POST \/devices: body parameter "device" references #\/definitions\/holder, which the fragment does not define/,
      ),
    );
    expect(texts).toContainEqual(
      expect.stringMatching(/^POST \/oauth\/token: parameter "client_id" is a formData field/),
    );
    expect(texts).toContainEqual(
      expect.stringMatching(/^POST \/oauth\/token: has its own security/),
    );
    // The holder reference itself is left alone: no model is made up.
    expect(JSON.stringify(proposal.actions)).not.toContain('holder');
    expect(JSON.stringify(proposal.actions)).not.toContain('definitions');
  });

  it('leaves two kept operations that would get one operationId to review, and the pipeline refuses them until then', async () => {
    const text = CRAWLED.replace(
      '  /oauth/token:',
      `  /baseStationFrameStatistics:
    get:
      summary: Frame statistics retrieval
      responses:
        200:
          description: OK
  /oauth/token:`,
    );
    const spec = loadYamlDocument(text, 'dup.swagger.yaml');
    const both = ['GET /deviceFrameStatistics', 'GET /baseStationFrameStatistics'];
    const proposal = proposeOverlay(spec, 'dup.swagger.yaml', both);
    expect(proposal.review).toContainEqual({
      operation: 'GET /baseStationFrameStatistics',
      text: 'operationId listFrameStatistics also names GET /deviceFrameStatistics: set another operationId for one of them in the hand-written overlay (or keep only one)',
    });
    const overlay = {
      overlay: '1.0.0',
      info: { title: 't', version: '1' },
      actions: proposal.actions,
    };
    const patched = await applyOverlay(
      spec,
      overlay,
      'dup.proposed.overlay.yaml',
      'dup.swagger.yaml',
    );
    await expect(validateSpec(patched, 'dup.swagger.yaml', '2.0')).rejects.toThrow(
      /Duplicate operation id 'listFrameStatistics'/,
    );
    // The reviewer's rename in the hand-written overlay settles it.
    const renamed = await applyOverlay(
      patched,
      {
        overlay: '1.0.0',
        info: { title: 'hand', version: '1' },
        actions: [
          {
            target: "$.paths['/baseStationFrameStatistics'].get",
            description: "Two frame statistics operations: this one is the base stations'.",
            update: { operationId: 'listBaseStationFrameStatistics' },
          },
        ],
      },
      'dup.overlay.yaml',
      'dup.swagger.yaml',
    );
    await expect(validateSpec(renamed, 'dup.swagger.yaml', '2.0')).resolves.toBeUndefined();
    // Either one alone needs no review.
    expect(
      proposeOverlay(spec, 'dup.swagger.yaml', ['GET /baseStationFrameStatistics']).review.some(
        (item) => item.text.includes('also names'),
      ),
    ).toBe(false);
  });

  it('refuses a keep entry that names no operation', () => {
    expect(() => proposeOverlay(crawled(), 'c.swagger.yaml', ['GET /nope'])).toThrow(
      /keep list names an operation the fragment does not have: GET \/nope/,
    );
  });

  it('keeps every operation when given no keep list', () => {
    const proposal = proposeOverlay(crawled(), 'c.swagger.yaml');
    expect(proposal.keep).toEqual([
      'GET /devices',
      'POST /devices',
      'GET /devices/{deviceRef}',
      'GET /deviceFrameStatistics',
      'POST /oauth/token',
    ]);
    expect(proposal.actions.some((a) => a.target.endsWith("/token']"))).toBe(false);
  });
});

/** The widgets fixture's hand overlay once the proposal does the mechanical part. */
const JUDGMENT_ONLY = `overlay: 1.0.0
info:
  title: Judgment calls
  version: 1.0.0
actions:
  - target: $.paths['/widgets/{widgetRef}'].get.responses['200']
    description: A typed answer.
    update:
      schema:
        type: object
        properties:
          ref:
            type: string
`;

describe('the proposed overlay file', () => {
  it('reproduces the committed proposal of the seed byte for byte', async () => {
    const committed = join(ROOT, 'specs/dx-core/downlink-messages.proposed.overlay.yaml');
    const { text } = await proposeForFragment(
      join(ROOT, SEED),
      SEED,
      await recordedKeep(committed),
    );
    expect(text).toBe(await readFile(committed, 'utf8'));
    expect(text).toMatch(
      /^# Generated by scripts\/propose-overlay\.ts from downlink-messages\.swagger\.yaml/,
    );
    expect(text).toContain('Do not edit by hand');
    expect(text).toContain('#/definitions/holder, which the fragment does not define');
    // Crawler metadata: what api.overlay.yaml already removes is not repeated.
    expect(text).toContain("target: $['x-streamrank']");
    expect(text).not.toContain('x-collection-name');
    expect(text).not.toContain('x-complete');
  });

  it('is deterministic: same input, same bytes, whatever the order of --keep', async () => {
    const repo = await sampleRepo(['devices', 'widgets']);
    const fragment = join(repo, SAMPLE.specDir, 'devices.swagger.yaml');
    const a = await proposeForFragment(fragment, 'specs/sample/devices.swagger.yaml');
    const b = await proposeForFragment(fragment, 'specs/sample/devices.swagger.yaml', [
      'GET /devices',
    ]);
    expect(b.text).toBe(a.text);
    expect(a.text).toContain('operationId: listDevices');
    expect(a.text).toContain(
      'Review items (what the script cannot decide; settle each in devices.overlay.yaml):',
    );
    expect(a.text).toContain('GET /devices: response 200 references #/definitions/holder');
  });

  it('builds through the pipeline with a hand overlay that keeps only the judgment calls', async () => {
    const repo = await sampleRepo(['widgets']);
    const fragment = join(repo, SAMPLE.specDir, 'widgets.swagger.yaml');
    const { text } = await proposeForFragment(fragment, 'specs/sample/widgets.swagger.yaml');
    await writeFile(proposedOverlayFile(fragment), text);
    await writeFile(join(repo, SAMPLE.specDir, 'widgets.overlay.yaml'), JUDGMENT_ONLY);
    await generateAll(repo, [SAMPLE]);
    const service = await readFile(
      join(repo, SAMPLE.clientDir, 'services/WidgetService.ts'),
      'utf8',
    );
    expect(service).toMatch(/public getWidget\(/);
    const openapi = await readFile(join(repo, SAMPLE.openapiFile), 'utf8');
    expect(openapi).toContain('operationId: getWidget');
    expect(openapi).not.toContain('x-api-path-slug');
  });

  it('is no orphan overlay, but one without its fragment is', async () => {
    const repo = await sampleRepo(['widgets']);
    const dir = join(repo, SAMPLE.specDir);
    await writeFile(join(dir, 'widgets.proposed.overlay.yaml'), 'overlay: 1.0.0\n');
    expect(await findFragments(dir)).toEqual([
      {
        fragment: join(dir, 'widgets.swagger.yaml'),
        overlay: join(dir, 'widgets.overlay.yaml'),
        apiOverlay: join(dir, 'api.overlay.yaml'),
        proposedOverlay: join(dir, 'widgets.proposed.overlay.yaml'),
      },
    ]);
    await writeFile(join(dir, 'devices.proposed.overlay.yaml'), 'overlay: 1.0.0\n');
    await expect(findFragments(dir)).rejects.toThrow(
      /devices\.proposed\.overlay\.yaml: overlay without a fragment[\s\S]*add devices\.swagger\.yaml/,
    );
  });

  it('names the proposed overlay action that made a node a later stage refuses', async () => {
    const repo = await sampleRepo(['widgets']);
    const fragment = join(repo, SAMPLE.specDir, 'widgets.swagger.yaml');
    const { text } = await proposeForFragment(fragment, 'specs/sample/widgets.swagger.yaml');
    const proposed = proposedOverlayFile(fragment);
    // A proposal gone wrong: a type Swagger 2.0 does not have, on a node the crawl lacks.
    const broken = text.replace(/(name: verbose\n\s+in: query\n\s+)type: string/, '$1type: bool');
    expect(broken).not.toBe(text);
    await writeFile(proposed, broken);
    await writeFile(join(repo, SAMPLE.specDir, 'widgets.overlay.yaml'), JUDGMENT_ONLY);
    const error = (await generateAll(repo, [SAMPLE]).catch((e: unknown) => e)) as PipelineError;
    expect(error).toBeInstanceOf(PipelineError);
    const index = (loadYamlDocument(text, proposed).actions as Actions).findIndex((a) =>
      a.target.endsWith('.parameters'),
    );
    expect(error.problems).toContainEqual(
      expect.objectContaining({
        pointer: '/paths/~1widgets~1{widgetRef}/get/parameters/1/type',
        source: `${proposed}#/actions/${index}`,
      }),
    );
  });
});

describe('pnpm check:generated and the proposals', () => {
  it('fails on a stale committed proposal, naming the file and the command', async () => {
    // The untouched tree has nothing stale (generate.test.ts regenerates it, and the seed's
    // proposal is reproduced byte for byte above): the exact list below is only the edit.
    const repo = await copyRepo();
    const file = join(repo, 'specs/dx-core/downlink-messages.proposed.overlay.yaml');
    const text = await readFile(file, 'utf8');
    // A hand edit that changes no output: only the proposal itself is stale.
    await writeFile(file, text.replace('Crawler slug, not part of the API.', 'Edited by hand.'));
    expect(await findStaleFiles(repo, [API])).toEqual([
      '~ specs/dx-core/downlink-messages.proposed.overlay.yaml (differs; rerun pnpm propose-overlay specs/dx-core/downlink-messages.swagger.yaml --write)',
    ]);
  });
});

describe('the command', () => {
  /** `pnpm propose-overlay ...args` in-process: its exit code and what it wrote. */
  async function propose(
    args: string[],
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    const result = { code: 0, stdout: '', stderr: '' };
    result.code = await proposeOverlayCommand(args, {
      stdout: { write: (text: string) => (result.stdout += text) },
      stderr: { write: (text: string) => (result.stderr += text) },
    });
    return result;
  }

  it('writes the proposal beside the fragment and prints the review items on stderr', async () => {
    const dir = await scratchDir('dx-propose-cli-');
    await cp(join(FIXTURES, 'widgets.swagger.yaml'), join(dir, 'widgets.swagger.yaml'));
    await cp(join(FIXTURES, 'api.overlay.yaml'), join(dir, 'api.overlay.yaml'));
    const fragment = join(dir, 'widgets.swagger.yaml');
    const printed = await propose([fragment, '--keep', 'get /widgets/{widgetRef}']);
    expect(printed.stderr).toMatch(
      /^review: GET \/widgets\/\{widgetRef\}: response 200 has no schema/,
    );
    const keepFile = join(dir, 'keep');
    await writeFile(keepFile, '# kept\nGET /widgets/{widgetRef}\n\n');
    const fromFile = await propose([fragment, '--keep-file', keepFile]);
    expect(fromFile.stdout).toBe(printed.stdout);
    const written = await propose([fragment, '--write']);
    expect(written.stdout).toMatch(
      /wrote .*widgets\.proposed\.overlay\.yaml: 3 actions, 1 operations kept, 1 review items/,
    );
    expect(await readFile(join(dir, 'widgets.proposed.overlay.yaml'), 'utf8')).toBe(printed.stdout);
    expect(await propose([fragment, '--keep', 'DELETE /widgets'])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/DELETE \/widgets/),
    });
  });

  it('is the script pnpm runs: exit 1 and the reason on stderr', async () => {
    const tsx = join(ROOT, 'node_modules/.bin/tsx');
    const failed = await run(tsx, [join(ROOT, 'scripts/propose-overlay.ts')]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^usage: pnpm propose-overlay/),
    });
  });
});
