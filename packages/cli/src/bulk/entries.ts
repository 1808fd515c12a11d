import type { SendDownlinkOptions } from '@dx/downlink-helpers';

/** One downlink as read from the input file, with its line for the report. */
export interface ItemEntry {
  line: number;
  item: SendDownlinkOptions & { id?: string };
}

/**
 * A line that could not even be read as a downlink (broken JSON, a CSV row with the wrong
 * number of cells): reported `invalid` with this message, never sent.
 */
export interface BadEntry {
  line: number;
  problem: string;
}

export type Entry = ItemEntry | BadEntry;

export const isBad = (entry: Entry): entry is BadEntry => 'problem' in entry;
