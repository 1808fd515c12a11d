import type { Io } from '../io.js';
import { printable } from './printable.js';

/**
 * Colours only on a terminal and never with `NO_COLOR` set to anything non-empty
 * (https://no-color.org).
 */
export function colours(stream: Io['stdout'], env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

export type Colour = keyof typeof CODES;

/** `paint(on)('red', text)`: the text unchanged when colours are off. */
export function painter(on: boolean): (colour: Colour, text: string) => string {
  return (colour, text) => (on ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text);
}

/** The text without the colours `painter` put in: what a terminal shows of it. */
export function unpainted(text: string): string {
  return text.replace(/\u001b\[\d+m/g, '');
}

/**
 * A line of JSON: the only thing `--json` ever writes to stdout. JSON.stringify leaves C1
 * controls and direction overrides raw, which a terminal showing the line would obey; escaped,
 * the line is the same JSON.
 */
export function writeJsonLine(io: Io, value: unknown): void {
  io.stdout.write(`${printable(JSON.stringify(value))}\n`);
}
