/**
 * `dx mock downlinks`: what a running mock queued, read from its own local endpoint
 * (`GET /_dx-mock/downlinks`, served by @dx/mock only; the real DX has no such thing).
 */
import { parseFlags } from '../../args.js';
import { EXIT, UsageError } from '../../exit-codes.js';
import type { Io } from '../../io.js';
import { printable } from '../../output/printable.js';
import { writeJsonLine } from '../../output/style.js';

export const downlinksUsage = 'dx mock downlinks [--json] [--base-url <url>]';

const FLAGS = {
  json: { type: 'boolean' },
  'base-url': { type: 'string' },
} as const;

/** The mock listens on 127.0.0.0/8 only; any other host is not one. */
function mockUrlOf(given: string | undefined): string {
  if (given === undefined || given === '') {
    throw new UsageError(
      'no mock to read: set DX_BASE_URL (eval "$(dx mock)" does) or give --base-url',
      downlinksUsage,
    );
  }
  const url = URL.canParse(given) ? new URL(given) : undefined;
  if (url === undefined || url.protocol !== 'http:' || !/^127\.\d+\.\d+\.\d+$/.test(url.hostname)) {
    throw new UsageError(
      `${printable(given)} is not a local dx mock (it listens on http://127.0.0.1 only)`,
      downlinksUsage,
    );
  }
  return url.href;
}

export async function listDownlinks(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseFlags(argv, FLAGS, downlinksUsage);
  if (values.help) {
    io.stdout.write(`Usage: ${downlinksUsage}\n\n${downlinksHelp}\n${downlinksExample}`);
    return EXIT.ok;
  }
  const url = mockUrlOf(values['base-url'] ?? io.env.DX_BASE_URL);
  const { fetchMockDownlinks } = await import('@dx/mock');
  const listed = await fetchMockDownlinks(url, { signal: AbortSignal.timeout(10_000) }).catch(
    (error: unknown) => {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why =
        cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
      throw new Error(
        `cannot read a mock at ${new URL(url).origin} (${why}); is one running? eval "$(dx mock)" starts one`,
      );
    },
  );
  for (const downlink of listed.downlinks) {
    if (values.json) {
      writeJsonLine(io, downlink);
      continue;
    }
    const flags = [downlink.confirm ? 'confirm' : '', downlink.flush ? 'flush' : ''].filter(
      Boolean,
    );
    io.stdout.write(
      `${downlink.receivedAt}  ${printable(downlink.id)}  ${printable(downlink.device)}  fPort ${downlink.fPort}  ${printable(downlink.payloadHex)}${flags.length ? `  ${flags.join(' ')}` : ''}\n`,
    );
  }
  const dropped = listed.total - listed.downlinks.length;
  if (dropped > 0) {
    io.stderr.write(
      `dx mock: ${dropped} older downlink(s) not shown: the mock keeps the last ${listed.downlinks.length}\n`,
    );
  }
  if (listed.total === 0 && !values.json) io.stderr.write('dx mock: no downlink received yet\n');
  return EXIT.ok;
}

export const downlinksHelp = `Lists the downlinks a running dx mock queued, oldest first: time, id, device, FPort,
payload hex (and confirm/flush when set). It reads the mock's own local endpoint
GET <origin>/_dx-mock/downlinks, which the real DX does not have.

Flags:
  --json             one JSON object per downlink (NDJSON): id, device, payloadHex, fPort,
                     fPorts, confirm, flush, securityParams, receivedAt, requestSeq
  --base-url <url>   the mock's base URL (default: DX_BASE_URL, as eval "$(dx mock)" sets it)
`;

const downlinksExample = `Example:
  eval "$(dx mock)"; dx send --device 0018B20000000B20 --fport 2 --hex 01; dx mock downlinks
`;
