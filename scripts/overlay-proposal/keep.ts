import { PipelineError } from '../pipeline/pipeline-error.js';

/**
 * The operations a proposal keeps, written `METHOD /path` as people say them
 * (`GET /devices`, `POST /devices/{device}/downlinkMessages`).
 */
export function parseKeepEntry(entry: string, source: string): string {
  const match = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(entry);
  if (!match) {
    throw new PipelineError({
      file: source,
      reason: `keep entry ${JSON.stringify(entry)} is not "METHOD /path"`,
      hint: 'write each kept operation as in --keep "GET /devices"',
    });
  }
  return `${match[1]!.toUpperCase()} ${match[2]}`;
}

/** A keep file: one `METHOD /path` a line; blank lines and `#` comments are ignored. */
export function parseKeepFile(text: string, file: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '')
    .map((line) => parseKeepEntry(line, file));
}
