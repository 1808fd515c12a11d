/**
 * The one error type of the spec pipeline: which file, which JSON pointer, what is wrong and
 * what to do, so that a failing `pnpm generate` can be fixed without reading the scripts.
 *
 * A stage that finds several things wrong reports them all at once (`problems`), so that a
 * fragment with a hundred typeless parameters is repaired in one pass rather than a hundred.
 */

/** One finding of a stage: where (pointer, and the source line when known) and what. */
export interface Problem {
  pointer: string;
  reason: string;
  /** `file:line` of the node in the upstream fragment, or the overlay action that made it. */
  source?: string | undefined;
}

/** How many problems a message lists; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 50;

export class PipelineError extends Error {
  readonly file: string;
  readonly pointer: string;
  readonly reason: string;
  readonly hint: string;
  readonly problems: readonly Problem[];

  constructor(details: {
    file: string;
    pointer?: string;
    reason: string;
    hint: string;
    problems?: readonly Problem[];
  }) {
    const pointer = details.pointer ?? '';
    const problems = details.problems ?? [];
    super(
      `${details.file}${pointer ? `#${pointer}` : ''}: ${details.reason}` +
        listProblems(problems) +
        `\n  -> ${details.hint}`,
    );
    this.name = 'PipelineError';
    this.file = details.file;
    this.pointer = pointer;
    this.reason = details.reason;
    this.hint = details.hint;
    this.problems = problems;
  }
}

function listProblems(problems: readonly Problem[]): string {
  const lines = problems
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((p) => `\n  #${p.pointer}${p.source ? ` (${p.source})` : ''}: ${p.reason}`);
  const more = problems.length - MAX_LISTED_PROBLEMS;
  return lines.join('') + (more > 0 ? `\n  ... and ${more} more` : '');
}

/** RFC 6901 pointer from path segments. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Path segments of an RFC 6901 pointer. */
export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
