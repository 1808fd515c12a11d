import { DownlinkError } from '../../errors.js';
import type { JournalSummary } from '../journal.js';
import type { Prepared } from './items.js';

/** What the journal of an earlier run decides for the items of this one. */
export class JournalResume {
  private firstChecked = false;

  constructor(
    private readonly state: JournalSummary,
    private readonly resendUnknown: boolean,
  ) {}

  /**
   * 'send' when `p` goes to DX (again), else the outcome the journal already holds for it.
   * Marks `p` started when the journal has its `start`; throws when the journal belongs to
   * another input.
   */
  verdict(p: Prepared): 'send' | 'skipped' | 'failed' | 'unknown' {
    const state = this.state;
    if (!this.firstChecked) {
      this.firstChecked = true;
      if (state.first && (state.first.key !== p.key || state.first.digest !== p.digest)) {
        throw mismatch(p, 'the journal begins with another item');
      }
    }
    const record = state.keys.get(p.key);
    if (!record) return 'send';
    if (record.digest !== p.digest) throw mismatch(p, 'its content differs from the journal');
    const last = record.last;
    p.started = true;
    // DX certainly did not process it: a plain resume sends it.
    if (last === 'retry' || last === 'not-sent') return 'send';
    if ((last === 'start' || last === 'unknown') && this.resendUnknown) return 'send';
    return last === 'queued' ? 'skipped' : last === 'failed' ? 'failed' : 'unknown';
  }
}

function mismatch(p: Prepared, why: string): DownlinkError {
  return new DownlinkError(
    'INVALID_ARGUMENT',
    'journal',
    `item ${p.index} (${p.key}): ${why}; the journal belongs to a different input. Resume with the same input in the same order, or start a new journal`,
    { position: p.index },
  );
}
