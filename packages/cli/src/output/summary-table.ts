import { OUTCOMES, type Tally } from './tally.js';
import type { Colour } from './style.js';

const COLOURS: Record<string, Colour> = {
  queued: 'green',
  failed: 'red',
  unknown: 'yellow',
  'not-sent': 'yellow',
  invalid: 'red',
};

/** Every line of the summary fits an 80-column terminal (the table itself is narrow). */
const NOTE_WIDTH = 79;

/**
 * A note cut into lines of at most `width` characters: after a clause ("...; ") when one ends
 * within the width, else at the last space that fits.
 */
function wrapped(note: string, width = NOTE_WIDTH): string[] {
  if (note.length <= width) return [note];
  const head = note.slice(0, width + 1);
  const clause = head.lastIndexOf('; ');
  const space = head.lastIndexOf(' ');
  const at = clause > 0 ? clause + 1 : space > 0 ? space : width;
  return [note.slice(0, at), ...wrapped(note.slice(at).trimStart(), width)];
}

/** The table printed at the end of a human `send-bulk` run. */
export function summaryTable(
  tally: Tally,
  paint: (colour: Colour, text: string) => string,
  note: string | undefined,
): string {
  const rows = OUTCOMES.map((outcome) => {
    const n = tally.counts[outcome];
    const label = outcome.padEnd(8);
    return `  ${n > 0 && COLOURS[outcome] ? paint(COLOURS[outcome], label) : label} ${String(n).padStart(7)}`;
  });
  const seconds = (tally.elapsedMs / 1000).toFixed(1);
  return [
    'outcome    count',
    ...rows,
    `  ${'total'.padEnd(8)} ${String(tally.done).padStart(7)}   in ${seconds}s (${tally.rate.toFixed(1)}/s)`,
    ...(note ? wrapped(note) : []),
    '',
  ].join('\n');
}
