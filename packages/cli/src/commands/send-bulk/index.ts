import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import {
  buildDownlinkRequest,
  DownlinkError,
  sendDownlinks,
  type FleetItem,
  type FleetOutage,
  type FleetProgress,
  type FleetResult,
} from '@dx/downlink-helpers';
import type { DownlinkJournal, FleetPace } from '@dx/downlink-helpers';
import { CONNECTION_FLAGS, integerFlag, parseFlags, positiveNumberFlag } from '../../args.js';
import { isBad, type Entry } from '../../bulk/entries.js';
import { readCsv } from '../../bulk/csv.js';
import { readJsonl } from '../../bulk/jsonl.js';
import { checkJournalWritable } from '../../bulk/journal-checks.js';
import { openLockedJournal } from '../../bulk/locked-journal.js';
import {
  checkDatabaseUrl,
  isDatabaseJournal,
  openCampaignJournal,
  printCampaignStatus,
} from '../../bulk/postgres-journal.js';
import { withSettings } from '../../bulk/command-line-settings.js';
import { DOWNLINK_FLAGS, downlinkFromFlags, type DownlinkSettings } from '../../downlink-flags.js';
import { errorJson } from '../../errors-report.js';
import { EXIT, UsageError } from '../../exit-codes.js';
import type { Command, Io } from '../../io.js';
import { drained } from '../../output/drained.js';
import { ProgressBar } from '../../output/progress.js';
import { summaryTable } from '../../output/summary-table.js';
import { colours, painter, writeJsonLine } from '../../output/style.js';
import { Tally, type Outcome } from '../../output/tally.js';
import { connect } from '../../settings/connection.js';
import { printable } from '../../output/printable.js';
import { shownResponse } from '../../output/response.js';

const usage =
  'dx send-bulk --file <path|-> [--format jsonl|csv] [the downlink of every line: --fport <n> --hex <h> ...] [--concurrency <n>] [--rate <per-second>] [--journal <path>|postgres://user@host/db --campaign <name> [--status]] [--resend-unknown] [--dry-run] [--json]';

const FLAGS = {
  file: { type: 'string', short: 'f' },
  format: { type: 'string' },
  concurrency: { type: 'string' },
  rate: { type: 'string' },
  journal: { type: 'string' },
  campaign: { type: 'string' },
  status: { type: 'boolean' },
  'resend-unknown': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  ...DOWNLINK_FLAGS,
  ...CONNECTION_FLAGS,
} as const;

type Format = 'jsonl' | 'csv';

/** `--format`, else `.csv` means CSV and anything else (stdin included) JSON lines. */
function formatOf(file: string, format: string | undefined): Format {
  if (format === undefined) return /\.csv$/i.test(file) ? 'csv' : 'jsonl';
  if (format === 'jsonl' || format === 'csv') return format;
  throw new UsageError('--format must be jsonl or csv', usage);
}

function openInput(file: string, io: Io): NodeJS.ReadableStream {
  return file === '-' ? io.stdin : createReadStream(file);
}

/** The file's lines, each with the downlink settings given on the command line. */
function readEntries(
  file: string,
  format: Format,
  io: Io,
  settings: DownlinkSettings,
): AsyncGenerator<Entry> {
  const input = openInput(file, io);
  const lines = format === 'csv' ? readCsv(input, usage, Object.keys(settings)) : readJsonl(input);
  return withSettings(lines, settings);
}

/**
 * The number of entries in a file (each gets one outcome), for the ETA; unknown for stdin or
 * a pipe (`--file <(jq ...)`, `/dev/stdin`), which can be read once only.
 */
async function countEntries(
  file: string,
  format: Format,
  io: Io,
  settings: DownlinkSettings,
): Promise<number | undefined> {
  if (file === '-' || !(await stat(file)).isFile()) return undefined;
  let count = 0;
  for await (const _entry of readEntries(file, format, io, settings)) count += 1;
  return count;
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseFlags(argv, FLAGS, usage);
  const database = isDatabaseJournal(values.journal);
  if (database) checkDatabaseUrl(values.journal!, values.campaign, usage);
  else if (values.campaign !== undefined || values.status) {
    throw new UsageError('--campaign and --status need --journal postgres://...', usage);
  }
  if (values.status) {
    const json = values.json === true || io.stdout.isTTY !== true;
    await printCampaignStatus(values.journal!, values.campaign!, io, json);
    return EXIT.ok;
  }
  const file = values.file;
  if (file === undefined) throw new UsageError('missing --file (a path, or - for stdin)', usage);
  const format = formatOf(file, values.format);
  const concurrency = integerFlag(values.concurrency, 'concurrency', 1, 256, usage);
  const ratePerSecond = positiveNumberFlag(values.rate, 'rate', usage);
  // Nobody types a fleet: a terminal on stdin means the pipe was forgotten, and the run would
  // sit waiting with no word.
  if (file === '-' && io.stdin.isTTY === true) {
    throw new UsageError(
      '--file -: stdin is a terminal; pipe the lines in (cat fleet.jsonl | dx send-bulk --file -) or give a path',
      usage,
    );
  }
  if (file !== '-') {
    await access(file, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(
        `--file ${file}: cannot be read (${error.code ?? error.message})`,
        usage,
      );
    });
    // A folder is readable too, and would only fail mid-run with a bare EISDIR (a named pipe,
    // as `--file <(jq ...)` gives, is fine).
    if ((await stat(file)).isDirectory()) {
      throw new UsageError(`--file ${file}: is a folder, not a file`, usage);
    }
  }
  if (values.journal !== undefined && !database) await checkJournalWritable(values.journal, usage);
  const { settings, warnings } = await downlinkFromFlags(values, usage, false, io);
  for (const warning of warnings) io.stderr.write(`warning: codec: ${printable(warning)}\n`);
  const json = values.json === true || io.stdout.isTTY !== true;
  if (values['dry-run']) return dryRun(readEntries(file, format, io, settings), io, json);

  const client = await connect(values, io.env, usage, { retry: false });
  const total = await countEntries(file, format, io, settings);
  // A lock lost mid-run (its lease not renewed in time) may be another run's now: stop.
  const lockLost = new AbortController();
  const locked =
    database || values.journal === undefined
      ? undefined
      : await openLockedJournal(values.journal, usage, {
          onWait: (message) => io.stderr.write(`dx: ${printable(message)}\n`),
          onLost: (error) => lockLost.abort(error),
        });
  const journal = database
    ? await openCampaignJournal(values.journal!, values.campaign!, ratePerSecond)
    : locked?.journal;
  try {
    return await sendAll({
      entries: readEntries(file, format, io, settings),
      io,
      json,
      total,
      journal,
      pace: journal && 'pace' in journal ? journal.pace : undefined,
      concurrency,
      ratePerSecond,
      resendUnknown: values['resend-unknown'] === true,
      client,
      lockLost: lockLost.signal,
    });
  } finally {
    await (locked ?? journal)?.close();
  }
}

interface SendAllOptions {
  entries: AsyncGenerator<Entry>;
  io: Io;
  json: boolean;
  total: number | undefined;
  journal: DownlinkJournal | undefined;
  /** A campaign's pace, shared with its other workers (a database journal). */
  pace: FleetPace | undefined;
  concurrency: number | undefined;
  ratePerSecond: number | undefined;
  resendUnknown: boolean;
  client: Awaited<ReturnType<typeof connect>>;
  lockLost: AbortSignal;
}

/**
 * Feeds the file to `sendDownlinks` and reports every result. Lines that are not even
 * readable are reported `invalid` by the CLI itself; everything else is the library's.
 */
async function sendAll(options: SendAllOptions): Promise<number> {
  const { io, json } = options;
  const tally = new Tally(options.total);
  const paint = painter(colours(io.stderr, io.env));
  const bar = io.stderr.isTTY ? new ProgressBar(io, tally, paint) : undefined;
  // Fleet index -> line of the file, for the items not yet reported only: every item gets one
  // result, so this holds what is in flight, and memory stays flat for any file length.
  const lines = new Map<number, number>();
  const pendingBad: Entry[] = [];
  const report = (
    line: number,
    device: string | undefined,
    outcome: Outcome,
    extra: Record<string, unknown>,
  ): void => {
    tally.add(outcome);
    if (json) {
      const write = () => writeJsonLine(io, { line, device, outcome, ...extra });
      // stdout and stderr may be the same terminal: keep the line off the bar.
      if (bar) bar.above(write);
      else write();
    }
    if (!json || bar) {
      if (outcome !== 'queued' && outcome !== 'skipped') {
        const message = (extra.error as { message?: string } | undefined)?.message ?? '';
        const colour = outcome === 'unknown' || outcome === 'not-sent' ? 'yellow' : 'red';
        const text = `line ${line}  ${printable(device ?? '-')}  ${paint(colour, outcome)}  ${printable(message)}`;
        if (bar) bar.log(text);
        else if (!json) io.stderr.write(`${text}\n`);
      }
      bar?.update();
    }
  };
  const flushBad = (): void => {
    for (const entry of pendingBad.splice(0)) {
      if (isBad(entry))
        report(entry.line, undefined, 'invalid', {
          error: { name: 'InputError', message: entry.problem },
        });
    }
  };
  let index = 0;
  async function* items(): AsyncGenerator<FleetItem> {
    for await (const entry of options.entries) {
      if (isBad(entry)) {
        // Reported at once: a file of many bad lines must not pile them up in memory.
        pendingBad.push(entry);
        flushBad();
        await drained(io.stdout);
        continue;
      }
      lines.set(index, entry.line);
      index += 1;
      yield entry.item;
    }
  }

  const controller = new AbortController();
  // The exit code of what stopped the run (a signal, a closed stdout); undefined while it runs.
  let stoppedWith: number | undefined;
  const stop = (note: string, code: number = EXIT.interrupted): void => {
    stoppedWith = code;
    controller.abort();
    if (bar) bar.log(note);
    else io.stderr.write(`${note}\n`);
  };
  // SIGTERM (a service manager, `timeout`) stops the run as Ctrl-C does: the sends in flight
  // end and are journaled, so none is left `unknown`. A second signal quits at once.
  const onSignal = (code: number, note: string) => (): void => {
    if (stoppedWith !== undefined) process.exit(code);
    stop(note, code);
  };
  const onSigint = onSignal(
    EXIT.interrupted,
    'stopping: no new sends, waiting for those in flight (Ctrl-C again to quit now)',
  );
  const onSigterm = onSignal(
    EXIT.terminated,
    'stopping (SIGTERM): no new sends, waiting for those in flight',
  );
  // The reader went away (`| head -1`): nobody reads the results any more, so stop as for
  // Ctrl-C rather than crash on EPIPE with sends in flight.
  const onBrokenPipe = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE' || stoppedWith !== undefined) return;
    stop('stopping: stdout was closed; no new sends, waiting for those in flight');
  };
  const onLockLost = (): void =>
    stop(
      'stopping: the journal lock was lost (another run may hold it); no new sends',
      EXIT.failed,
    );
  options.lockLost.addEventListener('abort', onLockLost, { once: true });
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  io.stdout.on('error', onBrokenPipe);
  let progress: FleetProgress | undefined;
  let fatal: unknown;
  let waitingFor: string | undefined;
  const onProgress = (p: FleetProgress): void => {
    progress = p;
    // The bar redraws its countdown every second by itself: tell it only of waits.
    const reason = p.waiting?.reason;
    if (reason !== undefined || waitingFor !== undefined) bar?.wait(p.waiting);
    waitingFor = reason;
  };
  bar?.start();
  try {
    const fleet = sendDownlinks(options.client, items(), {
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.ratePerSecond === undefined ? {} : { ratePerSecond: options.ratePerSecond }),
      ...(options.journal === undefined ? {} : { journal: options.journal }),
      ...(options.pace === undefined ? {} : { pace: options.pace }),
      resendUnknown: options.resendUnknown,
      signal: controller.signal,
      onProgress,
    });
    for await (const result of fleet) {
      flushBad();
      report(lines.get(result.index) ?? 0, result.device, result.outcome, resultFields(result));
      lines.delete(result.index);
      // Not pulling the next result until the reader took this one paces the whole run.
      await drained(io.stdout);
    }
    flushBad();
  } catch (error) {
    fatal = error;
  } finally {
    options.lockLost.removeEventListener('abort', onLockLost);
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigterm);
    io.stdout.removeListener('error', onBrokenPipe);
  }
  bar?.finish();
  const stopped = progress?.stopped ?? 0;
  const interrupted = stoppedWith !== undefined;
  const outage = progress?.outage;
  const notSent = notSentCount(tally, stopped, options.total);
  const extra = {
    ...(stopped ? { stopped } : {}),
    ...(interrupted ? { interrupted: true } : {}),
    ...(outage
      ? {
          // The sentence's count: the lines never read from the file are not in the counts.
          outage: {
            reason: outage.reason,
            since: new Date(outage.since).toISOString(),
            notSent,
          },
        }
      : {}),
  };
  const resume = options.journal
    ? 'run again with the same --journal to resume'
    : 'run again with a --journal next time to resume';
  if (json) writeJsonLine(io, tally.summary(extra));
  else {
    const note = interrupted
      ? `interrupted: ${stopped} item(s) taken from the file were not sent; ${resume}`
      : undefined;
    io.stdout.write(summaryTable(tally, painter(colours(io.stdout, io.env)), note));
  }
  if (outage !== undefined && fatal === undefined) {
    io.stderr.write(`dx: ${outageSentence(outage, notSent, options.total, resume)}\n`);
    return outage.reason === 'credentials' ? EXIT.credentials : EXIT.outage;
  }
  if (fatal !== undefined) {
    // A journal of another input, or an input that broke mid-way: say so, after the summary.
    io.stderr.write(`dx: ${printable(errorJson(fatal).message)}\n`);
    return fatal instanceof DownlinkError ? EXIT.usage : EXIT.failed;
  }
  if (stoppedWith !== undefined) return stoppedWith;
  if (tally.counts['not-sent'] > 0) {
    io.stderr.write(
      `dx: ${tally.counts['not-sent']} not sent (DX did not process them); ${resume}\n`,
    );
  }
  return tally.allGood ? EXIT.ok : EXIT.failed;
}

/**
 * Items DX certainly did not process: reported `not-sent`, taken but stopped, and (when the
 * file's length is known) never taken from it.
 */
function notSentCount(tally: Tally, stopped: number, total: number | undefined): number {
  const never = total === undefined ? stopped : Math.max(0, total - tally.done);
  return never + tally.counts['not-sent'];
}

/** "DX unreachable since 12:03:04 UTC; 2,896 not sent; run again ... to resume". */
function outageSentence(
  outage: FleetOutage,
  notSent: number,
  total: number | undefined,
  resume: string,
): string {
  const count = `${notSent.toLocaleString('en')}${total === undefined ? ' (and the rest of the input)' : ''} not sent`;
  return `${printable(outage.message)}; the run was stopped; ${count}; ${resume}`;
}

/** The library's result as an NDJSON line's fields (the error reduced to safe fields). */
function resultFields(result: FleetResult): Record<string, unknown> {
  return {
    ...(result.id === undefined ? {} : { id: result.id }),
    ...(result.response === undefined ? {} : { response: shownResponse(result.response) }),
    ...(result.error === undefined ? {} : { error: errorJson(result.error) }),
    attempts: result.attempts,
    ...(result.fromJournal ? { fromJournal: true } : {}),
  };
}

/** `--dry-run`: every line through the real validation, nothing sent, no credentials needed. */
async function dryRun(entries: AsyncGenerator<Entry>, io: Io, json: boolean): Promise<number> {
  const started = Date.now();
  let valid = 0;
  let invalid = 0;
  for await (const entry of entries) {
    let line: Record<string, unknown>;
    if (isBad(entry)) {
      line = {
        line: entry.line,
        outcome: 'invalid',
        error: { name: 'InputError', message: entry.problem },
      };
    } else {
      try {
        const plan = buildDownlinkRequest(entry.item);
        line = { line: entry.line, device: plan.device, outcome: 'valid' };
      } catch (error) {
        line = {
          line: entry.line,
          device: (entry.item as { device?: unknown }).device,
          outcome: 'invalid',
          error: errorJson(error),
        };
      }
    }
    if (line.outcome === 'valid') valid += 1;
    else invalid += 1;
    if (json) writeJsonLine(io, line);
    else if (line.outcome === 'invalid') {
      io.stderr.write(
        `line ${String(line.line)}  invalid  ${printable((line.error as { message: string }).message)}\n`,
      );
    }
    await drained(json ? io.stdout : io.stderr);
  }
  const summary = {
    valid,
    invalid,
    total: valid + invalid,
    dryRun: true,
    elapsedMs: Date.now() - started,
  };
  if (json) writeJsonLine(io, { summary });
  else
    io.stdout.write(
      `dry run: nothing sent. ${valid} valid, ${invalid} invalid, ${valid + invalid} in all\n`,
    );
  return invalid === 0 ? EXIT.ok : EXIT.failed;
}

export const sendBulk: Command = {
  name: 'send-bulk',
  summary: 'Queue one downlink per line of a JSONL or CSV file, at the rate DX allows, never twice',
  usage,
  help: `Sends every line of the file through sendDownlinks (@dx/downlink-helpers): bounded concurrency,
an optional rate cap, slowing down on 429/503, and a journal that makes a run resumable.

Input (--file <path>, or - for stdin):
  JSONL (default; .jsonl, .ndjson, stdin): one sendDownlink input per line, e.g.
    {"device":"0018B20000000B20","payload":{"hex":"0101"},"fPort":2,"confirm":true}
    payload is {"hex": ...}, {"base64": ...} or {"text": ...}; optional "id", "confirm",
    "flushQueue", "region", "dataRate", "dwellTime", "repeaterCompatible" and
    "securityParams" ({"asId","asKey"}; the key is never printed)
  CSV (.csv, or --format csv): a header row with device, one of hex/base64/text, fPort and
    optionally confirm, flushQueue (true/false), region, dataRate, id

The same downlink for every line: give it once as flags, as for dx send (--fport, --hex,
--base64, --text, --lpp, --codec/--input, --confirm, --flush, --test-port, --region,
--data-rate, --dwell-time, --repeater); the lines then need only "device". A line (or a CSV
column) that gives one of these itself is refused: give each in one place.

Flags:
  --format jsonl|csv     override the choice made from the file name
  --concurrency <n>      requests in flight at most (default 8)
  --rate <per-second>    requests per second at most (default: adapt to DX's 429s)
  --journal <path>       record every send; when the file exists, resume: send only what it has
                         no record of, report earlier sends as skipped
  --journal postgres://user@host:5432/db --campaign <name>
                         the journal of a campaign in PostgreSQL, shared by every worker that
                         sends it (replicas, several machines): each item is sent by exactly one
                         of them, --rate holds for all together. The password comes from
                         PGPASSWORD or ~/.pgpass (never the URL); the tables are created on
                         first use
  --status               with a database journal: print the campaign's counts, send nothing
  --resend-unknown       on resume, send again what may or may not have been queued
  --dry-run              validate every line, send nothing (no credentials needed)
  --json                 NDJSON on stdout (the default when stdout is not a terminal)
  --profile, --base-url, --token-url, --client-id   as for dx send

Output: with --json, one line per item {"line","device","outcome",...} with outcome queued,
failed, unknown, not-sent, invalid or skipped, then {"summary":{...counts...,"elapsedMs"}}.
On a terminal, a progress bar on stderr (it says what the run waits for) and a summary
table. not-sent: DX certainly did not process it; a rerun with the same --journal sends it.
Ctrl-C stops starting sends, waits for those in flight, keeps the journal and exits 130 with
the summary (SIGTERM: the same, exit 143).

The run stops itself when DX fails every attempt: connections refused or 503s for 10 s, ten
5xx answers or ten 404s (a wrong --base-url?) in a row, or a Retry-After longer than 10 s.
It says why and since when, and how many were not sent.

Exit codes: 0 all queued or skipped; 1 some failed, unknown, not-sent or invalid; 2 usage;
4 credentials missing or refused; 5 stopped by an outage (rerun to resume); 130 Ctrl-C;
143 SIGTERM.

Examples:
  dx send-bulk --file fleet.csv --journal fleet.journal
  dx send-bulk --file downlinks.jsonl --rate 20 --json > results.ndjson
  jq -c '{device: .eui}' devices.json | dx send-bulk --file - --hex 0101 --fport 2
  dx send-bulk --file fleet.csv --dry-run
  dx send-bulk --file fleet.csv --journal postgres://sender@db:5432/fleet --campaign fw-12 --rate 200
  dx send-bulk --journal postgres://sender@db:5432/fleet --campaign fw-12 --status
`,
  run,
};
