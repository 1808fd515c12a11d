import { generate } from 'openapi-typescript-codegen';
import { writeBarrel } from './barrel.js';
import { withModelExamples } from './model-docs.js';
import { PipelineError } from './pipeline-error.js';

export interface CodegenOptions {
  clientName: string;
  /**
   * The package's own request runtime, copied by the generator as core/request.ts. Without it
   * the generator writes its stock fetch runtime (the benchmark compares against that).
   */
  requestFile?: string;
  outputDir: string;
}

/**
 * openapi-typescript-codegen, kept behind this one stage so that it can be swapped (it is in
 * maintenance mode). `clientName` yields an instance client instead of the global `OpenAPI`
 * singleton; union types instead of enums namespaces; options objects for stable call sites.
 */
export async function generateClient(
  spec: Record<string, unknown>,
  options: CodegenOptions,
): Promise<void> {
  try {
    await generate({
      input: withModelExamples(spec),
      output: options.outputDir,
      httpClient: 'fetch',
      clientName: options.clientName,
      useOptions: true,
      useUnionTypes: true,
      exportCore: true,
      exportServices: true,
      exportModels: true,
      exportSchemas: false,
      indent: '2',
      ...(options.requestFile === undefined ? {} : { request: options.requestFile }),
    });
  } catch (error) {
    throw new PipelineError({
      file: options.outputDir,
      reason: `openapi-typescript-codegen failed: ${error instanceof Error ? error.message : String(error)}`,
      hint: 'check the merged OpenAPI document and the request runtime path',
    });
  }
  await writeBarrel(spec, options.outputDir, options.clientName);
}
