import {
  buildDownlinkRequest,
  payloadToBytes,
  sendDownlinks,
  type SendDownlinkOptions,
} from '@dx/downlink-helpers';
import { CONNECTION_FLAGS, integerFlag, parseFlags } from '../../args.js';
import { describePlan } from '../../dry-run.js';
import { AuthError } from '@dx/core-client';
import type { FleetProgress, FleetResult } from '@dx/downlink-helpers';
import { errorJson } from '../../errors-report.js';
import { EXIT, UsageError } from '../../exit-codes.js';
import type { Command, Io } from '../../io.js';
import { colours, painter, writeJsonLine } from '../../output/style.js';
import { DOWNLINK_FLAGS, downlinkFromFlags } from '../../downlink-flags.js';
import { payloadReport, RADIO_FLAGS, reportLines } from '../../payload-report.js';
import { connect } from '../../settings/connection.js';
import { printable } from '../../output/printable.js';
import { shownResponse } from '../../output/response.js';

const usage =
  'dx send --device <DevEUI|ref> --fport <n> (--hex <h> | --base64 <b> | --text <t> | --lpp <json> | --codec <file> --input <json>) [flags]';

const FLAGS = {
  device: { type: 'string' },
  ...DOWNLINK_FLAGS,
  ...RADIO_FLAGS,
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  ...CONNECTION_FLAGS,
} as const;

async function run(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseFlags(argv, FLAGS, usage);
  if (values.device === undefined) throw new UsageError('missing --device', usage);
  const sf = integerFlag(values.sf, 'sf', 7, 12, usage);
  const { settings, warnings } = await downlinkFromFlags(values, usage, true, io);
  const options = { ...settings, device: values.device } as SendDownlinkOptions;
  const paint = painter(colours(io.stderr, io.env));
  for (const warning of warnings)
    io.stderr.write(`${paint('yellow', 'warning')}: codec: ${printable(warning)}\n`);

  let plan;
  try {
    plan = buildDownlinkRequest(options);
  } catch (error) {
    return reportFailure(io, values.json === true, values.device, 'invalid', error);
  }
  if (values['dry-run']) {
    const report = payloadReport(payloadToBytes(options.payload).length, values, sf);
    if (values.json) {
      writeJsonLine(io, {
        device: plan.device,
        outcome: 'valid',
        dryRun: true,
        request: describePlan(plan),
        ...report,
      });
    } else {
      io.stdout.write(
        `dry run: nothing sent\nrequest:     ${JSON.stringify(describePlan(plan))}\n${reportLines(report, values).join('\n')}\n`,
      );
    }
    return EXIT.ok;
  }

  // One item through the fleet sender: its outcome (queued, failed, unknown...) is the
  // library's classification, the same as send-bulk's.
  const client = await connect(values, io.env, usage, { retry: false });
  let result: FleetResult | undefined;
  // A wait (a 429's Retry-After, a refused connection) is said on stderr, never silent; one
  // longer than the client's maxDelayMs is not waited out (the item is not-sent).
  let said: string | undefined;
  const onProgress = (p: FleetProgress): void => {
    const waiting = p.waiting;
    if (waiting === undefined || waiting.reason === said) return;
    said = waiting.reason;
    io.stderr.write(`waiting: ${waiting.reason}, retry in ${Math.ceil(waiting.inMs / 1000)} s\n`);
  };
  const fleet = sendDownlinks(client, [options], { concurrency: 1, onProgress });
  for await (const r of fleet) result = r;
  const outage = (await fleet.summary).outage;
  if (result === undefined) throw new Error('sendDownlinks gave no result');
  if (result.outcome !== 'queued') {
    const code = reportFailure(io, values.json === true, plan.device, result.outcome, result.error);
    if (result.error instanceof AuthError) return EXIT.credentials;
    if (outage === undefined) return code;
    io.stderr.write(`dx: ${printable(outage.message)}; not sent\n`);
    return EXIT.outage;
  }
  const response = shownResponse(result.response);
  if (values.json) {
    writeJsonLine(io, { device: plan.device, outcome: 'queued', response });
  } else {
    const id = response?.id;
    const status = response?.status;
    io.stdout.write(
      `${painter(colours(io.stdout, io.env))('green', 'queued')} ${plan.device} FPort ${plan.requestBody.targetPorts} ` +
        `payload ${plan.requestBody.payloadHex || '(empty)'}${id === undefined ? '' : ` id ${printable(id)}`}` +
        `${status === undefined ? '' : ` (${printable(status)})`}\n`,
    );
  }
  return EXIT.ok;
}

function reportFailure(
  io: Io,
  json: boolean,
  device: string,
  outcome: string,
  error: unknown,
): number {
  const detail = errorJson(error);
  if (json) {
    writeJsonLine(io, { device, outcome, error: detail });
  } else {
    const paint = painter(colours(io.stderr, io.env));
    io.stderr.write(
      `${paint('red', outcome)} ${printable(device)}: ${printable(detail.message)}\n`,
    );
    if (outcome === 'unknown') {
      io.stderr.write('It may have been queued: check the device before sending it again.\n');
    }
  }
  return EXIT.failed;
}

export const send: Command = {
  name: 'send',
  summary: 'Queue one downlink for one device',
  usage,
  help: `Validates the downlink with @dx/downlink-helpers (DevEUI or ref, FPort, payload, size for the
region and data rate) and queues it through DX. Nothing is sent when a check fails.

Payload (exactly one):
  --hex <hex>            bytes as hex ("01 0A", "0x010a", "01:0a" are fine)
  --base64 <b64>         bytes as base64 (standard or URL-safe)
  --text <text>          UTF-8 text
  --lpp <json>           Cayenne LPP items, e.g. '[{"channel":3,"type":"temperature","value":27.2}]'
  --codec <file>         a TS013 codec module (encodeDownlink), one file, run isolated: no
                         environment, no network, no other file, 5 s at most ...
  --input <json|@file>   ... and the data it encodes

Downlink:
  --device <DevEUI|ref>  DevEUI in any common spelling, or the DX device ref
  --fport <n>            1..223 (the codec's FPort when --codec is used and --fport is not)
  --test-port            allow FPort 224 (LoRaWAN compliance test)
  --confirm              ask for a reception confirmation (confirmDownlink)
  --flush                empty the device's downlink queue first (flushDownlinkQueue)
  --region <r>           EU868, US915, AU915, AS923, IN865, KR920, CN470, EU433, RU864 ...
  --data-rate <dr>       ... with the data rate (5 or DR5): refuse a payload that does not fit
  --dwell-time           AS923 with the 400 ms dwell-time limit
  --repeater             repeater-compatible limits (242 becomes 222)
  --sf <7..12>           --dry-run: time on air at this spreading factor only

Output:
  --dry-run              print the DX request and the checks; send nothing
  --json                 one JSON line on stdout: {"device","outcome","response"|"error"}

Connection (flags, then DX_* environment variables, then the profile):
  --profile <name>       profile of the config file (default: DX_PROFILE, then "default")
  --base-url <url>       DX Core API base URL (DX_BASE_URL)
  --token-url <url>      OAuth2 token endpoint (DX_TOKEN_URL)
  --client-id <id>       OAuth2 client id (DX_CLIENT_ID)
  The secret comes from DX_CLIENT_SECRET (or DX_TOKEN), or the profile; never from a flag.

Examples:
  dx send --device 0018B20000000B20 --fport 2 --hex 0101
  dx send --device 00-18-b2-00-00-00-0b-20 --fport 2 --lpp '[{"channel":3,"type":"temperature","value":27.2}]' --region EU868 --data-rate 0
  dx send --device 0018B20000000B20 --codec ./codec.js --input '{"interval":300}' --dry-run
  dx send --device 0018B20000000B20 --fport 2 --text on --confirm --json
`,
  run,
};
