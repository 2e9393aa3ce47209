/**
 * Micro-benchmarks of the in-process hot paths, with the budget each must meet:
 * - stamp encode: ≥ 16k blocks/s per instance with room to spare (the O_DSYNC ceiling);
 * - verifier scan: ≥ 500 MB/s, so a 100 GiB volume verifies in minutes.
 * Run with `npm run bench:micro`; prints ops/s and MB/s and flags a missed budget.
 */
import { Bench } from 'tinybench';
import { latestAcks } from '../src/measure/journal.js';
import { emptyVerification, verifyBlocks } from '../src/measure/verifier.js';
import { emptyStamp, encodeBlock } from '../src/workload/stamp.js';

const BS = 4096;
const BW = BS / 4;
const CHUNK_BLOCKS = 256; // the verifier's 1 MiB read
const chunk = new Uint32Array(CHUNK_BLOCKS * BW);
const stamp = emptyStamp();
for (let i = 0; i < CHUNK_BLOCKS; i++) encodeBlock(chunk, i * BW, BW, { epoch: 0, seq: i, index: i, stampNs: 1e12 });
const latest = latestAcks({ blockSize: BS, blocks: CHUNK_BLOCKS, fill: { stampNs: 1e12, ackNs: 1e12 + 1 }, acks: [], reads: [] });
const one = new Uint32Array(BW);

const bench = new Bench({ time: 1000 });
bench
  .add('stamp encode (4 KiB block)', () => {
    stamp.seq++;
    encodeBlock(one, 0, BW, stamp);
  })
  .add('verifier scan (1 MiB of 4 KiB blocks)', () => {
    verifyBlocks(chunk, BS, 0, CHUNK_BLOCKS, latest, emptyVerification());
  });
await bench.run();

const budgets: Record<string, { bytes: number; minBytesPerSec: number }> = {
  'stamp encode (4 KiB block)': { bytes: BS, minBytesPerSec: 16_000 * BS * 4 },
  'verifier scan (1 MiB of 4 KiB blocks)': { bytes: CHUNK_BLOCKS * BS, minBytesPerSec: 500e6 },
};
let missed = 0;
for (const task of bench.tasks) {
  const r = task.result as { throughput?: { mean: number } } | undefined;
  const hz = r?.throughput?.mean ?? 0;
  const b = budgets[task.name]!;
  const rate = hz * b.bytes;
  const ok = rate >= b.minBytesPerSec;
  if (!ok) missed++;
  console.log(`${ok ? 'ok  ' : 'MISS'} ${task.name.padEnd(40)} ${hz.toFixed(0).padStart(9)} ops/s ${(rate / 1e6).toFixed(0).padStart(6)} MB/s (budget ${(b.minBytesPerSec / 1e6).toFixed(0)} MB/s)`);
}
process.exitCode = missed ? 1 : 0;
