/**
 * Throughput of the hex and base64 converters of @dx/downlink-helpers against Node's native
 * Buffer conversions, for the payload sizes that matter (51 and 242 bytes).
 *
 * Rounds alternate ours / Buffer so that CPU frequency drift and GC pressure hit both sides
 * alike; the median of the rounds is reported. Run: pnpm exec tsx scripts/bench/hex-base64.ts
 */
// The built package, as consumers run it (pnpm bench builds first): bundling changes how V8
// optimises the converters, so measuring the sources would flatter them.
import { base64ToBytes, bytesToBase64, bytesToHex, hexToBytes } from '@dx/downlink-helpers';
import { median } from './stats.js';

const ROUNDS = 15;
/** Total time budget; rounds are sized from a calibration run to stay within it. */
const BUDGET_MS = 14_000;
const SIZES = [51, 242] as const;

interface Case {
  name: string;
  size: number;
  ours: () => unknown;
  native: () => unknown;
}

function makeCases(): Case[] {
  const cases: Case[] = [];
  for (const size of SIZES) {
    const bytes = new Uint8Array(size).map((_, i) => (i * 151 + 7) & 255);
    const buffer = Buffer.from(bytes);
    const hex = buffer.toString('hex').toUpperCase();
    const base64 = buffer.toString('base64');
    cases.push(
      {
        name: 'hexToBytes',
        size,
        ours: () => hexToBytes(hex),
        native: () => Buffer.from(hex, 'hex'),
      },
      {
        name: 'bytesToHex',
        size,
        ours: () => bytesToHex(bytes),
        native: () => buffer.toString('hex'),
      },
      {
        name: 'base64ToBytes',
        size,
        ours: () => base64ToBytes(base64),
        native: () => Buffer.from(base64, 'base64'),
      },
      {
        name: 'bytesToBase64',
        size,
        ours: () => bytesToBase64(bytes),
        native: () => buffer.toString('base64'),
      },
    );
  }
  return cases;
}

let sink = 0;

function opsPerSecond(fn: () => unknown, ops: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) {
    const result = fn() as { length: number };
    sink += result.length;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return ops / seconds;
}

function checkSameOutput(c: Case): void {
  const ours = c.ours();
  const native = c.native();
  const a =
    typeof ours === 'string' ? ours.toUpperCase() : Buffer.from(ours as Uint8Array).toString('hex');
  const b = typeof native === 'string' ? native.toUpperCase() : (native as Buffer).toString('hex');
  if (a !== b) throw new Error(`${c.name} ${c.size}: outputs differ`);
}

function main(): void {
  const cases = makeCases();
  cases.forEach(checkSameOutput);
  // Calibrate: how many ops fit in the per-case-per-side time slice.
  const sliceMs = BUDGET_MS / (cases.length * ROUNDS * 2);
  const rows: string[] = [];
  for (const c of cases) {
    for (let i = 0; i < 20_000; i++) {
      c.ours();
      c.native();
    }
    // Sized on the slower side so neither side's slice exceeds the budget.
    const probe = Math.min(opsPerSecond(c.ours, 5000), opsPerSecond(c.native, 5000));
    const ops = Math.max(1000, Math.round((probe * sliceMs) / 1000));
    const ours: number[] = [];
    const native: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const o = opsPerSecond(c.ours, ops);
      const n = opsPerSecond(c.native, ops);
      ours.push(o);
      native.push(n);
      ratios.push(o / n);
    }
    rows.push(
      `| ${c.name} | ${c.size} | ${fmt(median(ours))} | ${fmt(median(native))} | ${median(ratios).toFixed(2)} |`,
    );
  }
  console.log(`Node ${process.version}, ${ROUNDS} interleaved rounds, median values\n`);
  console.log('| function | bytes | ours (ops/s) | Buffer (ops/s) | ratio ours/Buffer |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
  if (sink === 0) console.log('(no work done)');
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

main();
