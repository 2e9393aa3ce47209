/**
 * Micro-benchmarks of the in-process hot paths, with the budget each must meet:
 * - stamp encode and check: ≥ 64k blocks/s (4 × the ~16k/s O_DSYNC ceiling of one instance),
 *   so stamping never limits the write rate and checking never delays a scheduled read;
 * - verifier scan: ≥ 500 MB/s, so a 100 GiB volume verifies in minutes;
 * - percentile windows: timeline.csv of a 60 s repetition (200 reads/s, 2000 acks/s,
 *   250 ms windows) in ≤ 100 ms, so a long run does not stall between repetitions;
 * - results appending: one repetition's runs.csv row and timeline.csv windows (a 60 s
 *   repetition, 250 ms windows) appended in ≤ 20 ms, however long the run already is;
 * - compare: the bootstrap CI of one metric (2000 resamples of 2 × 10 repetitions) in ≤ 20 ms,
 *   so a nightly compare of a few hundred metrics stays within seconds.
 * Run with `npm run bench:micro`; prints ops/s and the budget, exits 1 on a missed budget.
 */
import { Bench } from 'tinybench';
import { latestAcks } from '../src/measure/journal.js';
import { Timeline } from '../src/measure/timeline.js';
import { emptyVerification, verifyBlocks } from '../src/measure/verifier.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { relativeChangeCI } from '../src/analysis/bootstrap.js';
import { mulberry32 } from '../src/measure/prng.js';
import { RUN_COLUMNS, type RunRow, type TimelineRow } from '../src/results/columns.js';
import type { RunMeta } from '../src/results/meta.js';
import type { RepetitionResult } from '../src/results/repetition-result.js';
import { ResultsDir } from '../src/results/results-dir.js';
import { timelineRows } from '../src/results/timeline-rows.js';
import { RecordType, type AckRecord, type ReadRecord } from '../src/workload/records.js';
import { checkBlock, emptyStamp, encodeBlock } from '../src/workload/stamp.js';

const BS = 4096;
const BW = BS / 4;
const CHUNK_BLOCKS = 256; // the verifier's 1 MiB read
const chunk = new Uint32Array(CHUNK_BLOCKS * BW);
const stamp = emptyStamp();
for (let i = 0; i < CHUNK_BLOCKS; i++) encodeBlock(chunk, i * BW, BW, { epoch: 0, seq: i, index: i, stampNs: 1e12 });
const latest = latestAcks({ blockSize: BS, blocks: CHUNK_BLOCKS, fill: { stampNs: 1e12, ackNs: 1e12 + 1 }, acks: [], reads: [] });
const one = new Uint32Array(BW);
encodeBlock(one, 0, BW, stamp);
const checked = emptyStamp();

// A 60 s repetition: 2 s baseline, 200 reads/s, 2000 acks/s.
const random = mulberry32(1);
const t0 = 1e12;
const timeline = new Timeline();
timeline.mark('warmup_start', t0);
timeline.mark('start', t0 + 2e9);
timeline.mark('end', t0 + 62e9);
const reads: ReadRecord[] = Array.from({ length: 60 * 200 }, (_, i) => ({ type: RecordType.Read, state: 0, index: i, epoch: 0, seq: i, stampNs: 0, scheduledNs: t0 + i * 5e6, completedNs: t0 + i * 5e6 + 5e4 + random() * 5e5 }));
const acks: AckRecord[] = Array.from({ length: 60 * 2000 }, (_, i) => ({ type: RecordType.Ack, index: i, epoch: 0, seq: i, stampNs: t0 + i * 5e5, ackNs: t0 + i * 5e5 + 1e5 }));
for (let t = 0; t < 60e9; t += 100e6) timeline.samples.push({ tNs: t0 + t, txBytes: t, hydrated: t / 60e9 });
const repetition = { strategy: 'async-clone', rep: 1, timeline, reads, acks } as unknown as RepetitionResult;

const runRow = Object.fromEntries(RUN_COLUMNS.map((c, i) => [c, c === 'strategy' ? 'kill-copy-boot' : i * 1.5])) as unknown as RunRow;
const windowRows: TimelineRow[] = timelineRows('r', repetition, 250);
const resultsTmp = mkdtempSync(join(tmpdir(), 'migbench-micro-'));
const resultsDir = new ResultsDir(resultsTmp, { run_id: 'micro' } as RunMeta);
const base = Array.from({ length: 10 }, () => 800 + random() * 100);
const cand = Array.from({ length: 10 }, () => 800 + random() * 100);

interface Budget {
  /** Bytes per operation, when the budget is a throughput. */
  bytes?: number;
  minBytesPerSec?: number;
  minOpsPerSec?: number;
  text: string;
}

const BUDGETS: Record<string, Budget> = {
  'stamp encode (4 KiB block)': { minOpsPerSec: 64_000, text: '≥ 64k blocks/s' },
  'stamp check (4 KiB block)': { minOpsPerSec: 64_000, text: '≥ 64k blocks/s' },
  'verifier scan (1 MiB of 4 KiB blocks)': { bytes: CHUNK_BLOCKS * BS, minBytesPerSec: 500e6, text: '≥ 500 MB/s' },
  'percentile windows (60 s repetition)': { minOpsPerSec: 10, text: '≤ 100 ms' },
  'results append (1 row, 60 s of windows)': { minOpsPerSec: 50, text: '≤ 20 ms' },
  'compare bootstrap CI (2 × 10 reps)': { minOpsPerSec: 50, text: '≤ 20 ms' },
};

const bench = new Bench({ time: 1000 });
bench
  .add('stamp encode (4 KiB block)', () => {
    stamp.seq++;
    encodeBlock(one, 0, BW, stamp);
  })
  .add('stamp check (4 KiB block)', () => {
    checkBlock(one, 0, BW, 0, checked);
  })
  .add('verifier scan (1 MiB of 4 KiB blocks)', () => {
    verifyBlocks(chunk, BS, 0, CHUNK_BLOCKS, latest, emptyVerification());
  })
  .add('percentile windows (60 s repetition)', () => {
    timelineRows('r', repetition, 250);
  })
  .add('results append (1 row, 60 s of windows)', () => {
    resultsDir.add(runRow, windowRows);
  })
  .add('compare bootstrap CI (2 × 10 reps)', () => {
    relativeChangeCI(base, cand);
  });
await bench.run();
rmSync(resultsTmp, { recursive: true, force: true });

let missed = 0;
for (const task of bench.tasks) {
  const r = task.result as { throughput?: { mean: number } } | undefined;
  const hz = r?.throughput?.mean ?? 0;
  const b = BUDGETS[task.name]!;
  const ok = b.minBytesPerSec !== undefined ? hz * b.bytes! >= b.minBytesPerSec : hz >= b.minOpsPerSec!;
  if (!ok) missed++;
  const rate = b.bytes ? ` ${((hz * b.bytes) / 1e6).toFixed(0).padStart(6)} MB/s` : hz < 1000 ? ` ${(1000 / hz).toFixed(2).padStart(6)} ms/op` : '';
  console.log(`${ok ? 'ok  ' : 'MISS'} ${task.name.padEnd(40)} ${hz.toFixed(0).padStart(9)} ops/s${rate}  (budget ${b.text})`);
}
process.exitCode = missed ? 1 : 0;
