/**
 * Throughput of the hex and base64 converters of @dx/downlink-helpers against Node's native
 * Buffer conversions, for the payload sizes that matter (51 and 242 bytes). Interleaved rounds
 * in a rotating order (stats.ts), so that CPU frequency drift and GC pressure hit both sides
 * alike; medians reported. Run: pnpm exec tsx scripts/bench/hex-base64.ts
 */
// The built package, as consumers run it (pnpm bench builds first): bundling changes how V8
// optimises the converters, so measuring the sources would flatter them.
import { base64ToBytes, bytesToBase64, bytesToHex, hexToBytes } from '@dx/downlink-helpers';
import { compareAll, formatRate } from './stats.js';

const ROUNDS = 15;
/** Total time budget; each case's rounds are sized from a probe to stay within it. */
const BUDGET_MS = 14_000;

let sink = 0;
const repeat =
  (fn: () => { length: number }) =>
  (ops: number): void => {
    for (let i = 0; i < ops; i++) sink += fn().length;
  };
const hexOf = (v: string | Uint8Array): string =>
  typeof v === 'string' ? v.toUpperCase() : Buffer.from(v).toString('hex').toUpperCase();

const cases = [51, 242].flatMap((size) => {
  const bytes = new Uint8Array(size).map((_, i) => (i * 151 + 7) & 255);
  const buffer = Buffer.from(bytes);
  const hex = buffer.toString('hex').toUpperCase();
  const base64 = buffer.toString('base64');
  type Side = () => string | Uint8Array;
  const pairs: [string, Side, Side][] = [
    ['hexToBytes', () => hexToBytes(hex), () => Buffer.from(hex, 'hex')],
    ['bytesToHex', () => bytesToHex(bytes), () => buffer.toString('hex')],
    ['base64ToBytes', () => base64ToBytes(base64), () => Buffer.from(base64, 'base64')],
    ['bytesToBase64', () => bytesToBase64(bytes), () => buffer.toString('base64')],
  ];
  return pairs.map(([name, ours, native]) => ({ name, size, ours, native }));
});

console.log(`Node ${process.version}, ${ROUNDS} interleaved rounds, median values\n`);
console.log('| function | bytes | ours (ops/s) | Buffer (ops/s) | ratio ours/Buffer |');
console.log('| --- | ---: | ---: | ---: | ---: |');
/** Time for one round of one case, both sides. */
const sliceMs = BUDGET_MS / (cases.length * ROUNDS);
for (const c of cases) {
  if (hexOf(c.ours()) !== hexOf(c.native())) throw new Error(`${c.name} ${c.size}: outputs differ`);
  const ours = { name: 'ours', run: repeat(c.ours) };
  const native = { name: 'Buffer', run: repeat(c.native) };
  // Warm up both sides; the same loop sizes a round to fit its slice.
  const probeStart = performance.now();
  for (let i = 0; i < 10_000; i++) sink += c.ours().length + c.native().length;
  const ops = Math.max(1000, Math.round((10_000 * sliceMs) / (performance.now() - probeStart)));
  const [buffer, ourStanding] = await compareAll(native, [ours], ROUNDS, ops);
  console.log(
    `| ${c.name} | ${c.size} | ${formatRate(ourStanding!.rate)} | ${formatRate(buffer!.rate)} | ${ourStanding!.ratio.toFixed(2)} |`,
  );
}
if (sink === 0) console.log('(no work done)');
