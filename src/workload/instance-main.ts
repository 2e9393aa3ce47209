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
import { encodeRecord, RECORD_BYTES, RecordType, type InstanceRecord } from './records.js';
import { mulberry32 } from './prng.js';
import type { InstanceConfig } from './instance-config.js';

const now = (): number => Number(process.hrtime.bigint());
const recordBuf = Buffer.alloc(RECORD_BYTES);

function emit(r: InstanceRecord): void {
  encodeRecord(recordBuf, 0, r);
  // Synchronous: the record is in the pipe before the next I/O is issued.
  writeSync(1, recordBuf);
}

let stopping = false;

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
  const pick = mulberry32(cfg.seed);
  const stamp = emptyStamp();
  stamp.epoch = cfg.epoch;
  const start = now();
  let seq = 0;
  while (!stopping) {
    await sleepUntil(start + seq * intervalNs);
    if (stopping) break;
    stamp.seq = seq;
    stamp.index = Math.floor(pick() * cfg.blocks);
    stamp.stampNs = now();
    encodeBlock(words, 0, words.length, stamp);
    await fh.write(buf, 0, cfg.blockSize, stamp.index * cfg.blockSize);
    emit({ type: RecordType.Ack, index: stamp.index, epoch: cfg.epoch, seq, stampNs: stamp.stampNs, ackNs: now() });
    seq++;
  }
}

async function reader(fh: FileHandle, cfg: InstanceConfig): Promise<void> {
  if (cfg.readRate <= 0) return;
  const buf = await alignedBuffer(fh, cfg.blockSize);
  const words = new Uint32Array(buf.buffer, buf.byteOffset, cfg.blockSize / 4);
  const intervalNs = 1e9 / cfg.readRate;
  const pick = mulberry32(cfg.seed ^ 0x5bd1e995);
  const out = emptyStamp();
  const start = now();
  for (let k = 0; !stopping; k++) {
    const scheduledNs = start + k * intervalNs;
    await sleepUntil(scheduledNs);
    if (stopping) break;
    const index = Math.floor(pick() * cfg.blocks);
    await fh.read(buf, 0, cfg.blockSize, index * cfg.blockSize);
    const completedNs = now();
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
  }
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '') as InstanceConfig;
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
