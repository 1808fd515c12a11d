/**
 * `dx send-bulk --journal postgres://...`: a campaign's journal in PostgreSQL, shared by every
 * worker that sends it (`--campaign` names it). The driver is loaded only when such a URL is
 * given, so a file journal never pays for it.
 */
import type { CampaignCounts, PostgresJournal } from '@dx/downlink-helpers/postgres-journal';
import { UsageError } from '../exit-codes.js';
import type { Io } from '../io.js';
import { writeJsonLine } from '../output/style.js';

/** Whether `--journal` names a database rather than a file. */
export function isDatabaseJournal(journal: string | undefined): journal is string {
  return journal !== undefined && /^postgres(ql)?:\/\//i.test(journal);
}

/**
 * The URL, checked: a password in it would sit in the process list and the shell's history,
 * so it is refused (libpq's PGPASSWORD or ~/.pgpass give it, as for psql). The URL is never
 * repeated in a message: it may hold that password.
 */
export function checkDatabaseUrl(url: string, campaign: string | undefined, usage: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError('--journal: not a valid postgres:// URL', usage);
  }
  if (parsed.password !== '' || /[?&]password=/i.test(parsed.search)) {
    throw new UsageError(
      '--journal: a password in the URL is refused (it would show in the process list and the shell history); give it in PGPASSWORD or ~/.pgpass',
      usage,
    );
  }
  if (campaign === undefined || campaign.trim() === '') {
    throw new UsageError(
      '--campaign <name> is required with a database journal: every worker of one campaign gives the same name',
      usage,
    );
  }
}

export async function openCampaignJournal(
  url: string,
  campaign: string,
  ratePerSecond: number | undefined,
): Promise<PostgresJournal> {
  const { openPostgresJournal } = await import('@dx/downlink-helpers/postgres-journal');
  return openPostgresJournal({
    connectionString: url,
    campaign,
    ...(ratePerSecond === undefined ? {} : { ratePerSecond }),
  });
}

const LABELS: [keyof CampaignCounts, string][] = [
  ['queued', 'queued'],
  ['failed', 'failed'],
  ['unknown', 'unknown (may have been queued)'],
  ['notSent', 'not sent (certainly; a resume sends them)'],
  ['inFlight', 'in flight (held by a running worker)'],
  ['total', 'claimed in all'],
  ['workers', 'workers running'],
];

/** `--status`: the campaign's counts, nothing sent. */
export async function printCampaignStatus(
  url: string,
  campaign: string,
  io: Io,
  json: boolean,
): Promise<void> {
  const { campaignStatus } = await import('@dx/downlink-helpers/postgres-journal');
  const counts = await campaignStatus({ connectionString: url, campaign });
  if (json) {
    writeJsonLine(io, { campaign, status: counts });
    return;
  }
  const width = Math.max(...LABELS.map(([, label]) => label.length));
  const lines = LABELS.map(([key, label]) => `  ${label.padEnd(width)}  ${counts[key]}`);
  io.stdout.write(`campaign ${campaign}\n${lines.join('\n')}\n`);
}
