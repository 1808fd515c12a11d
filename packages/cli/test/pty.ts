import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BIN } from './harness.js';

/**
 * A command line run as a person runs it: under a pseudo-terminal by util-linux `script`
 * (stdin, stdout and stderr are all the terminal), the captured bytes replayed into the lines
 * that stay on the screen.
 */
const exec = promisify(execFile);

export async function assertScript(): Promise<void> {
  await exec('script', ['--version']).catch(() => {
    throw new Error(
      'util-linux `script` is needed for the terminal tests (apt-get install bsdutils)',
    );
  });
}

/** POSIX shell single quotes. */
export const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `node dist/cli.js ...args` as one shell word list. */
export const dxLine = (args: readonly string[]) =>
  [process.execPath, BIN, ...args].map(quote).join(' ');

/**
 * Runs a shell command line under a pseudo-terminal `columns` wide (none given: a terminal
 * that says no size, 0 columns); resolves with the raw bytes written to it.
 */
export async function underTerminal(
  commandLine: string,
  env: Record<string, string>,
  columns?: number,
): Promise<{ raw: string; code: number }> {
  const size = columns === undefined ? '' : `stty cols ${columns} rows 24 && `;
  // -e: script exits with the command's code; -q: no "Script started" banner; -f: flush.
  // The timeout turns a command that waits forever into a failure, not a hung test run.
  return exec('script', ['-qfec', `${size}{ ${commandLine}; }`, '/dev/null'], {
    env: { TERM: 'xterm', ...env },
    timeout: 20_000,
  }).then(
    (r) => ({ raw: r.stdout, code: 0 }),
    (e: { stdout: string; code: number }) => ({ raw: e.stdout, code: e.code }),
  );
}

/** What stays on screen: each `\r` returns to the line start, `ESC[2K` erases the line. */
export function screen(raw: string): string[] {
  return raw
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => {
      const last = line.split('\r').at(-1) ?? '';
      return last.replace(/\u001b\[2K/g, '');
    });
}

export const stripColours = (text: string) => text.replace(/\u001b\[\d+m/g, '');
