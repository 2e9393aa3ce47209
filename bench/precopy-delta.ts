/**
 * Pre-copy's scattered-delta copy rate against the measured link (issue 15, item 2). On
 * real components — two network namespaces joined by a tbf-shaped veth (`--link`), loop
 * devices over /dev/shm, A's volume behind qemu-storage-daemon with a dirty bitmap
 * (TrackedSource, as `migbench run --strategy precopy` uses it) — it dirties `--delta` bytes
 * of scattered 4 KiB blocks (never two adjacent: every extent is one block), then, like the
 * final pass, rotates the bitmap and copies exactly those extents with the round copier
 * into B's device. `--copier` picks how, side by side: `delta` (what precopy uses: one
 * request per pass to A's delta server, the bytes streamed back) and `nbd` (one NBD read
 * per extent through nbdkit and qemu-storage-daemon, 4 connections × 16 in flight, the
 * copier precopy used before). Per repetition it prints the rotate + list time, the copy
 * and flush times, and the copy rate (copy + flush) over the link probe's measured rate;
 * B is checked byte for byte against A on the copied blocks. `dry ms` is the same fetch
 * again written nowhere (A's reads and the link alone; delta copier only). The delta copier
 * is warmed first as precopy warms it during its full copy. Per pass it also prints the
 * CPU time and run-queue wait of A's server and B's copier (sched-stat.ts), the machine's
 * kernel threads' CPU time and its busy share, to show which stage sets the pace. Exits 1 when the first
 * copier's median rate is below 0.9 of the measured link or a block differs.
 * Run as root with `npm run bench:precopy [-- --link 1Gbit/s --delta 16MiB --reps 3 --copier delta,nbd]`.
 */
import { constants } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createHostPair } from '../src/lab/hosts.js';
import { Ledger } from '../src/lab/ledger.js';
import { measureLink } from '../src/lab/link-probe.js';
import { createLoopDevice } from '../src/lab/loop-device.js';
import { ResourceScope } from '../src/lab/scope.js';
import { parseRate, parseSize } from '../src/scenario/units.js';
import { COPIER_SHAPE } from '../src/strategy/precopy.js';
import { exportPort } from '../src/lab/ports.js';
import { DeltaServer } from '../src/transfer/dirty/delta-server.js';
import { mulberry32 } from '../src/measure/prng.js';
import { extentBytes } from '../src/transfer/dirty/extents.js';
import { RoundCopier, warmUpBatches } from '../src/transfer/dirty/round-copier.js';
import { copierImplementation, DELTA_SERVER_ENV, implementation } from '../src/transfer/dirty/native-copier.js';
import { TrackedSource } from '../src/transfer/dirty/tracked-source.js';
import { fillVolume } from '../src/workload/fill.js';
import { alignedBuffer } from '../src/workload/aligned-buffer.js';
import { kernelThreadsRunNs, machineTicks, schedDelta, schedOf } from './sched-stat.js';

const BS = 4096;
const GOAL = 0.9;
const WRITERS = 8;

const { values } = parseArgs({
  options: {
    link: { type: 'string', default: '1Gbit/s' },
    size: { type: 'string', default: '256MiB' },
    delta: { type: 'string', default: '16MiB' },
    reps: { type: 'string', default: '3' },
    copier: { type: 'string', default: 'delta,nbd' },
    warm: { type: 'boolean', default: true },
  },
});
const linkBps = parseRate(values.link!);
const sizeBytes = parseSize(values.size!);
const deltaBytes = parseSize(values.delta!);
const reps = Number(values.reps);
const copiers = values.copier!.split(',');
const blocks = sizeBytes / BS;
const deltaBlocks = deltaBytes / BS;
if (!Number.isInteger(blocks) || !Number.isInteger(deltaBlocks) || deltaBlocks * 2 > blocks || !(reps >= 1) || !copiers.every((c) => c === 'delta' || c === 'nbd')) {
  console.error('--size and --delta must be 4 KiB multiples, --delta at most half of --size, --reps ≥ 1, --copier a list of delta and nbd');
  process.exit(2);
}

/** `n` distinct even block numbers in random order: no two adjacent, so every dirty extent is one block. */
function scattered(n: number, seed: number): number[] {
  const random = mulberry32(seed);
  const pool = Array.from({ length: blocks / 2 }, (_, i) => i * 2);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

/** Writes each listed block through the tracked device (O_DIRECT, several writers), content unique to `rep`. */
async function dirty(device: string, list: readonly number[], rep: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      const fh = await open(device, constants.O_RDWR | constants.O_DIRECT);
      try {
        const buf = await alignedBuffer(fh, BS);
        while (next < list.length) {
          const b = list[next++]!;
          buf.fill((b * 7 + rep) & 0xff);
          buf.writeUInt32LE(b, 0);
          buf.writeUInt32LE(rep, 4);
          await fh.write(buf, 0, BS, b * BS);
        }
      } finally {
        await fh.close();
      }
    }),
  );
}

/** Blocks of `list` whose bytes differ between the two devices. */
async function mismatches(a: string, b: string, list: readonly number[]): Promise<number> {
  const [fa, fb] = [await open(a, 'r'), await open(b, 'r')];
  const [x, y] = [Buffer.alloc(BS), Buffer.alloc(BS)];
  let bad = 0;
  try {
    for (const blk of list) {
      await fa.read(x, 0, BS, blk * BS);
      await fb.read(y, 0, BS, blk * BS);
      if (!x.equals(y)) bad++;
    }
  } finally {
    await fa.close();
    await fb.close();
  }
  return bad;
}

const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;

async function main(): Promise<number> {
  const id = process.pid.toString(36);
  const ledger = new Ledger(`bench-precopy-${id}`);
  const scope = new ResourceScope(ledger);
  const workDir = await mkdtemp(join(tmpdir(), 'migbench-bench-precopy-'));
  const onSignal = (): void => void scope.close().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  const signal = new AbortController().signal;
  try {
    const hosts = await createHostPair(scope, `mgbp${id}`, { rateBps: linkBps });
    const src = await createLoopDevice(scope, `/dev/shm/migbench-bench-precopy-${id}-src.img`, sizeBytes);
    const dst = await createLoopDevice(scope, `/dev/shm/migbench-bench-precopy-${id}-dst.img`, sizeBytes);
    await fillVolume(src, BS, blocks);
    const link = await measureLink(scope, hosts, 0, workDir);
    const tracked = await TrackedSource.create(scope, { sourceDevice: src, granularityBytes: BS, workDir, host: hosts.a, latencyMs: 0, signal });
    const server = await DeltaServer.start(scope, hosts.a, { address: hosts.a.address, port: exportPort('delta'), device: tracked.dataDevice, latencyMs: 0 }, signal);
    await tracked.startTracking();
    console.log(`B copier: ${copierImplementation()}, A server: ${implementation(DELTA_SERVER_ENV)}, B writes: ${process.env.MIGBENCH_B_WRITES ?? 'direct'} (node copier only); link ${values.link} asked, ${(link.measuredBps / 1e6).toFixed(0)} Mbit/s measured; ${values.size} volume, ${deltaBlocks} scattered 4 KiB blocks per delta`);
    console.log('copier  rep  extents  list ms  copy ms  flush ms  total ms  Mbit/s  of link  dry ms  B≠A  A cpu/wait ms  B cpu/wait ms  kthr ms  busy');
    const medians: number[] = [];
    let bad = 0;
    for (const [k, name] of copiers.entries()) {
      const copier = RoundCopier.start(scope, hosts.b, {
        host: tracked.tcp.host,
        port: tracked.tcp.port,
        exportName: '',
        device: dst,
        ...COPIER_SHAPE,
        ...(name === 'delta' ? { delta: { host: server.address, port: server.port } } : {}),
      });
      // As precopy does during its full copy: warm the delta path with fetches written nowhere.
      if (name === 'delta' && values.warm) for (const w of warmUpBatches(sizeBytes, BS)) await copier.warm(w, signal);
      const fractions: number[] = [];
      for (let rep = 1; rep <= reps; rep++) {
        const seed = k * 1000 + rep;
        const list = scattered(deltaBlocks, seed);
        await dirty(tracked.device, list, seed);
        const t0 = process.hrtime.bigint();
        const extents = await tracked.rotate();
        const [a0, b0, k0, m0] = [schedOf(server.pid), schedOf(copier.pid), kernelThreadsRunNs(), machineTicks()];
        const t1 = process.hrtime.bigint();
        const r = await copier.copy(extents, signal);
        const t2 = process.hrtime.bigint();
        const [a1, b1, k1, m1] = [schedOf(server.pid), schedOf(copier.pid), kernelThreadsRunNs(), machineTicks()];
        const [da, db] = [schedDelta(a0, a1), schedDelta(b0, b1)];
        // Machine-wide share of CPU busy during the pass (every session's, not only ours).
        const busy = (m1.busy - m0.busy) / Math.max(1, m1.total - m0.total);
        const cpu = `${da.runMs.toFixed(0)}/${da.waitMs.toFixed(0)}`.padStart(13) + `  ${`${db.runMs.toFixed(0)}/${db.waitMs.toFixed(0)}`.padStart(13)}  ${((k1 - k0) / 1e6).toFixed(0).padStart(7)}  ${busy.toFixed(2)}`;
        const totalMs = Number(t2 - t1) / 1e6;
        const bps = (extentBytes(extents) * 8) / (totalMs / 1e3);
        fractions.push(bps / link.measuredBps);
        // The same extents again, written nowhere: A's reads and the link alone.
        const dry = name === 'delta' ? (await copier.warm(extents, signal)).copyMs.toFixed(1) : '-';
        const m = await mismatches(src, dst, list);
        bad += m;
        console.log(
          `${name.padEnd(6)}  ${String(rep).padStart(3)}  ${String(extents.length).padStart(7)}  ${(Number(t1 - t0) / 1e6).toFixed(1).padStart(7)}  ${r.copyMs.toFixed(1).padStart(7)}  ${r.flushMs.toFixed(1).padStart(8)}  ${totalMs.toFixed(1).padStart(8)}  ${(bps / 1e6).toFixed(0).padStart(6)}  ${(bps / link.measuredBps).toFixed(2).padStart(7)}  ${dry.padStart(6)}  ${String(m).padStart(3)}  ${cpu}`,
        );
      }
      await copier.stop();
      medians.push(median(fractions));
      console.log(`${name}: median copy rate ${median(fractions).toFixed(2)} of the measured link`);
    }
    await server.stop();
    const med = medians[0]!;
    console.log(`${copiers[0]} ${med >= GOAL ? 'meets' : 'MISSES'} the goal of ≥ ${GOAL} of the link; B differs from A on ${bad} copied blocks`);
    return med >= GOAL && bad === 0 ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    await scope.close();
    ledger.finished();
    await rm(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
