import SwaggerParser from '@apidevtools/swagger-parser';
import { PipelineError, toPointer } from './pipeline-error.js';

type Detail = {
  message?: string;
  path?: (string | number)[];
  instancePath?: string;
  params?: unknown;
};

function firstDetail(error: unknown): Detail | undefined {
  const details = (error as { details?: Detail[] }).details;
  return Array.isArray(details) ? details[0] : undefined;
}

function pointerOf(detail: Detail | undefined): string {
  if (!detail) return '';
  if (typeof detail.instancePath === 'string') return detail.instancePath;
  if (Array.isArray(detail.path)) return toPointer(detail.path);
  return '';
}

/** Dangling `$ref`s carry their pointer in the message ("Could not resolve reference: #/definitions/x"). */
function refPointer(message: string): string | undefined {
  const match = /#(\/[^\s"']*)/.exec(message);
  return match?.[1];
}

/**
 * Validates with swagger-parser, which checks the schema of the spec version and resolves every
 * `$ref`. It mutates and dereferences its input, so it gets a copy.
 */
export async function validateSpec(
  spec: Record<string, unknown>,
  file: string,
  expected: '2.0' | '3.0',
): Promise<void> {
  const version = expected === '2.0' ? spec.swagger : spec.openapi;
  if (
    expected === '2.0'
      ? version !== '2.0'
      : typeof version !== 'string' || !version.startsWith('3.0')
  ) {
    throw new PipelineError({
      file,
      pointer: expected === '2.0' ? '/swagger' : '/openapi',
      reason: `expected a ${expected === '2.0' ? 'Swagger 2.0' : 'OpenAPI 3.0'} document`,
      hint: 'check the stage order and the spec version field',
    });
  }
  try {
    await SwaggerParser.validate(structuredClone(spec) as never);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const detail = firstDetail(error);
    const reason = detail?.message ?? message.split('\n').slice(0, 3).join(' ');
    throw new PipelineError({
      file,
      pointer: pointerOf(detail) || refPointer(message) || '',
      reason: `${expected === '2.0' ? 'Swagger 2.0' : 'OpenAPI 3.0'} validation failed: ${reason}`,
      hint: 'repair it with an action in the fragment overlay (never by editing the fragment)',
    });
  }
}
