/**
 * A workload instance: one process bound to one block device. It writes stamped blocks
 * at a fixed rate with O_DIRECT|O_DSYNC (durable on return) and reports each ack; it
 * issues reads on a fixed schedule and reports what each read returned and when it
 * completed, timed from its *scheduled* start (no coordinated omission).
 *
 * Control: a byte on stdin asks for a graceful stop; EOF on stdin (the orchestrator is
 * gone) ends the process at once. SIGKILL is how `kill` stops it.
 */
import { constants, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { alignedBuffer } from './aligned-buffer.js';
import { BlockState, checkBlock, emptyStamp, encodeBlock } from './stamp.js';
import { encodeRecord, IoOp, RECORD_BYTES, RecordType, type InstanceRecord } from './records.js';
import { blockSampler } from './pattern/sampler.js';
import { parsePattern } from './pattern/spec.js';
import type { InstanceConfig } from './instance-config.js';

/** This host's clock minus the controller's (a real host, `clockOffsetNs`): every time it stamps or reports is the controller's. */
let clockOffsetNs = 0;
const now = (): number => Number(process.hrtime.bigint()) - clockOffsetNs;
const recordBuf = Buffer.alloc(RECORD_BYTES);

function emit(r: InstanceRecord): void {
  encodeRecord(recordBuf, 0, r);
  // Synchronous: the record is in the pipe before the next I/O is issued.
  writeSync(1, recordBuf);
}

let stopping = false;

/** An error the device returned (EIO, ENXIO, …), as opposed to a bug: it has an errno code. */
function isIoError(err: unknown): boolean {
  return typeof (err as NodeJS.ErrnoException)?.code === 'string' && (err as NodeJS.ErrnoException).syscall !== undefined;
}

// Reads in flight plus the writer need threads of libuv's pool (4 by default); it reads
// this when it first starts, after the imports above.
process.env.UV_THREADPOOL_SIZE = String(16 + 4);

/** Resolves at or after `deadlineNs` (timers may fire early by a fraction of a ms). */
async function sleepUntil(deadlineNs: number): Promise<void> {
  for (let left = deadlineNs - now(); left > 0 && !stopping; left = deadlineNs - now()) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(left / 1e6))));
  }
}

async function writer(fh: FileHandle, cfg: InstanceConfig): Promise<void> {
  if (cfg.writeRateBps <= 0) return;
  const buf = await alignedBuffer(fh, cfg.blockSize);
  const words = new Uint32Array(buf.buffer, buf.byteOffset, cfg.blockSize / 4);
  const intervalNs = (cfg.blockSize * 8 * 1e9) / cfg.writeRateBps;
  const pick = blockSampler(parsePattern(cfg.writePattern ?? 'uniform'), cfg.blocks, { draw: cfg.seed, layout: cfg.layoutSeed ?? 0 });
  const stamp = emptyStamp();
  stamp.epoch = cfg.epoch;
  const start = now();
  let seq = 0;
  while (!stopping) {
    await sleepUntil(start + seq * intervalNs);
    if (stopping) break;
    stamp.seq = seq;
    stamp.index = pick();
    stamp.stampNs = now();
    encodeBlock(words, 0, words.length, stamp);
    try {
      await fh.write(buf, 0, cfg.blockSize, stamp.index * cfg.blockSize);
      emit({ type: RecordType.Ack, index: stamp.index, epoch: cfg.epoch, seq, stampNs: stamp.stampNs, ackNs: now() });
    } catch (err) {
      // A device that fails a write (its source gone, issue 12): count it and go on.
      if (!isIoError(err)) throw err;
      emit({ type: RecordType.IoError, op: IoOp.Write, index: stamp.index, timeNs: now() });
    }
    seq++;
  }
}

/**
 * Reads in flight at most. Reads start on their schedule whether or not earlier ones have
 * completed (an open loop, like fio's iodepth): one slow read during hydration must not
 * hold back the ones scheduled after it, or the reader would measure its own queue.
 */
const MAX_READS_IN_FLIGHT = 16;

async function reader(fh: FileHandle, cfg: InstanceConfig): Promise<void> {
  if (cfg.readRate <= 0) return;
  // One aligned buffer cut into slots; a stride of at least 4 KiB keeps each slot aligned.
  const stride = Math.max(cfg.blockSize, 4096);
  const pool = await alignedBuffer(fh, stride * MAX_READS_IN_FLIGHT);
  const free = Array.from({ length: MAX_READS_IN_FLIGHT }, (_, i) => i);
  const inflight = new Set<Promise<void>>();
  const intervalNs = 1e9 / cfg.readRate;
  const pick = blockSampler(parsePattern(cfg.readPattern ?? 'uniform'), cfg.blocks, { draw: cfg.seed ^ 0x5bd1e995, layout: cfg.layoutSeed ?? 0 });
  let failure: unknown;

  const readOne = async (slot: number, index: number, scheduledNs: number): Promise<void> => {
    const buf = pool.subarray(slot * stride, slot * stride + cfg.blockSize);
    const words = new Uint32Array(buf.buffer, buf.byteOffset, cfg.blockSize / 4);
    try {
      await fh.read(buf, 0, cfg.blockSize, index * cfg.blockSize);
    } catch (err) {
      // Data the device cannot reach (issue 12): count the failed read and go on.
      if (!isIoError(err)) throw err;
      emit({ type: RecordType.IoError, op: IoOp.Read, index, timeNs: now() });
      return;
    }
    const completedNs = now();
    const out = emptyStamp();
    const state = checkBlock(words, 0, words.length, index, out);
    const valid = state === BlockState.Valid;
    emit({
      type: RecordType.Read,
      state,
      index,
      epoch: valid ? out.epoch : 0,
      seq: valid ? out.seq : 0,
      stampNs: valid ? out.stampNs : 0,
      scheduledNs,
      completedNs,
    });
  };

  const start = now();
  for (let k = 0; !stopping && failure === undefined; k++) {
    const scheduledNs = start + k * intervalNs;
    await sleepUntil(scheduledNs);
    if (stopping) break;
    // At the limit, wait for a slot: the wait counts in the next read's latency.
    while (free.length === 0) await Promise.race(inflight);
    const slot = free.pop()!;
    const p: Promise<void> = readOne(slot, pick(), scheduledNs)
      .catch((err: unknown) => {
        failure ??= err;
      })
      .finally(() => {
        free.push(slot);
        inflight.delete(p);
      });
    inflight.add(p);
  }
  await Promise.all(inflight);
  if (failure !== undefined) throw failure;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '') as InstanceConfig;
  clockOffsetNs = cfg.clockOffsetNs ?? 0;
  process.stdin.on('data', () => {
    stopping = true;
  });
  process.stdin.on('end', () => process.exit(0));
  const fh = await open(cfg.device, constants.O_RDWR | constants.O_DIRECT | constants.O_DSYNC);
  emit({ type: RecordType.Ready, timeNs: now() });
  await Promise.all([writer(fh, cfg), reader(fh, cfg)]);
  await fh.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`instance: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(3);
  },
);
