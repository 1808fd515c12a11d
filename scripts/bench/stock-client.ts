/**
 * openapi-typescript-codegen's stock fetch runtime, generated from the same OpenAPI document
 * into a temporary folder and bundled: the reference the client is compared with.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { APIS } from '../pipeline/apis.js';
import { generateClient } from '../pipeline/codegen.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const DX_CORE = APIS.find((api) => api.name === 'dx-core') as (typeof APIS)[number];

/** The part of a generated client the benchmark calls (the package's client has it too). */
export interface StockClient {
  downlink: {
    sendDownlinkMessage(args: {
      device: string;
      requestBody: unknown;
      confirmDownlink?: boolean;
    }): Promise<unknown>;
  };
}

/** Generates, bundles and loads the stock client; the temporary folder is removed again. */
export async function loadStockClient(config: {
  BASE: string;
  TOKEN: string;
}): Promise<StockClient> {
  const dir = await mkdtemp(join(tmpdir(), 'dx-stock-client-'));
  try {
    const spec = parse(await readFile(join(ROOT, DX_CORE.openapiFile), 'utf8')) as Record<
      string,
      unknown
    >;
    // The package's generator stage and options, without the package's request runtime.
    await generateClient(spec, { clientName: DX_CORE.clientName, outputDir: join(dir, 'src') });
    const outfile = join(dir, 'stock-client.mjs');
    await build({
      entryPoints: [join(dir, 'src/index.ts')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile,
      logLevel: 'silent',
    });
    const { DxCoreClient } = (await import(pathToFileURL(outfile).href)) as {
      DxCoreClient: new (config: { BASE: string; TOKEN: string }) => StockClient;
    };
    return new DxCoreClient(config);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
