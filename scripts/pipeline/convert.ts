import swagger2openapi from 'swagger2openapi';
import { PipelineError } from './pipeline-error.js';

/**
 * Swagger 2.0 to OpenAPI 3.0 with swagger2openapi, without `patch`: the overlay must have made
 * the fragment valid, so anything the converter would have to guess is an error instead.
 */
export async function convertToOpenApi3(
  spec: Record<string, unknown>,
  file: string,
): Promise<Record<string, unknown>> {
  try {
    const result = await swagger2openapi.convertObj(structuredClone(spec), {
      patch: false,
      warnOnly: false,
      resolve: false,
      targetVersion: '3.0.0',
    });
    return result.openapi as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new PipelineError({
      file,
      reason: `conversion to OpenAPI 3 failed: ${message}`,
      hint: 'fix the fragment with its overlay so that it converts without patching',
    });
  }
}
