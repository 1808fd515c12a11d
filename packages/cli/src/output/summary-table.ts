import { OUTCOMES, type Tally } from './tally.js';
import type { Colour } from './style.js';

const COLOURS: Record<string, Colour> = {
  queued: 'green',
  failed: 'red',
  unknown: 'yellow',
  'not-sent': 'yellow',
  invalid: 'red',
};

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
    ...(note ? [note] : []),
    '',
  ].join('\n');
}
