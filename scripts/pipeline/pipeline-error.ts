/**
 * The one error type of the spec pipeline: which file, which JSON pointer, what is wrong and
 * what to do, so that a failing `pnpm generate` can be fixed without reading the scripts.
 */
export class PipelineError extends Error {
  readonly file: string;
  readonly pointer: string;
  readonly reason: string;
  readonly hint: string;

  constructor(details: { file: string; pointer?: string; reason: string; hint: string }) {
    const pointer = details.pointer ?? '';
    super(
      `${details.file}${pointer ? `#${pointer}` : ''}: ${details.reason}\n  -> ${details.hint}`,
    );
    this.name = 'PipelineError';
    this.file = details.file;
    this.pointer = pointer;
    this.reason = details.reason;
    this.hint = details.hint;
  }
}

/** RFC 6901 pointer from path segments. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
