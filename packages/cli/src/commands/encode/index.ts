import { payloadToBytes, bytesToHex } from '@dx/downlink-helpers';
import { integerFlag, parseFlags, positiveNumberFlag } from '../../args.js';
import { errorJson } from '../../errors-report.js';
import { EXIT } from '../../exit-codes.js';
import type { Command, Io } from '../../io.js';
import { writeJsonLine } from '../../output/style.js';
import { PAYLOAD_FLAGS, resolvePayload } from '../../payload-flags.js';
import { payloadReport, RADIO_FLAGS, reportLines } from '../../payload-report.js';
import { printable } from '../../output/printable.js';

const usage =
  'dx encode (--hex <h> | --base64 <b> | --text <t> | --lpp <json> | --codec <file> --input <json>) [--region <r> --data-rate <dr>] [--sf <n>] [--json]';

const FLAGS = {
  ...PAYLOAD_FLAGS,
  fport: { type: 'string' },
  ...RADIO_FLAGS,
  json: { type: 'boolean' },
} as const;

async function run(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseFlags(argv, FLAGS, usage);
  const sf = integerFlag(values.sf, 'sf', 7, 12, usage);
  const khz = positiveNumberFlag(values.bandwidth, 'bandwidth', usage);
  const fPort = integerFlag(values.fport, 'fport', 0, 255, usage);
  try {
    const { payload, codecFPort, warnings } = await resolvePayload(values, usage, io, fPort);
    const bytes = payloadToBytes(payload);
    const report = payloadReport(
      bytes.length,
      values,
      sf,
      khz === undefined ? undefined : khz * 1000,
    );
    const hex = bytesToHex(bytes);
    if (values.json) {
      writeJsonLine(io, {
        hex,
        ...(codecFPort === undefined ? {} : { fPort: codecFPort }),
        warnings,
        ...report,
      });
      return report.fits ? EXIT.ok : EXIT.failed;
    }
    for (const warning of warnings) io.stderr.write(`warning: codec: ${printable(warning)}\n`);
    const port = codecFPort === undefined ? '' : `fPort:       ${codecFPort}\n`;
    io.stdout.write(
      `hex:         ${hex || '(empty)'}\n${port}${reportLines(report, values).join('\n')}\n`,
    );
    return report.fits ? EXIT.ok : EXIT.failed;
  } catch (error) {
    if (!(error instanceof Error) || error.name === 'UsageError') throw error;
    const detail = errorJson(error);
    if (values.json) writeJsonLine(io, { outcome: 'invalid', error: detail });
    else io.stderr.write(`invalid: ${printable(detail.message)}\n`);
    return EXIT.failed;
  }
}

export const encode: Command = {
  name: 'encode',
  summary: 'Show the bytes of a payload, its size against the limit and its time on air (offline)',
  usage,
  help: `Encodes a payload with @dx/downlink-helpers and prints its hex, its size against the limit of
the region and data rate, and the downlink time on air. Works offline: no credentials needed.

Flags:
  --hex, --base64, --text, --lpp, --codec/--input   the payload, as for dx send
  --fport <n>            with --codec: override the codec's FPort
  --region <r> --data-rate <dr>   check the size against the RP002 limit (without them: 242
                                  bytes, the most any region allows)
  --dwell-time, --repeater        AS923 dwell time; repeater-compatible limits
  --sf <7..12>           time on air at one spreading factor (default: SF7 to SF12)
  --bandwidth <kHz>      125 (default), 250 or 500
  --json                 one JSON line: {"hex","bytes","limit","timeOnAirMs","bandwidthHz"}

Examples:
  dx encode --lpp '[{"channel":3,"type":"temperature","value":27.2}]'
  dx encode --text hello --region EU868 --data-rate 0 --sf 12
  dx encode --codec ./codec.js --input @config.json --json
`,
  run,
};
