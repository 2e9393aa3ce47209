/**
 * The read probe's own overhead: how far the default read-latency figures are from what fio
 * sees on the same raw device. On a fresh loop device over `--backing-dir` (default the
 * scenario's, /dev/shm), filled with stamped blocks, it times `--read-rate` 4 KiB random
 * reads for `--seconds` each way:
 * - `fio raw`: fio alone (the reference);
 * - `default`: what `migbench run` does by default (`--probe fio`): the stamped instance writes
 *   at `--write-rate` and checks content at its lower rate while fio times the reads;
 * - `stamped`: `--probe stamped`: the instance writes and times every read itself.
 * Prints p50 / p99 of each and their ratio to `fio raw`; exits 1 when the default's p50 or
 * p99 is more than 1.5× fio's. The loop device and its file are created and released here
 * (recorded in a ledger under $MIGBENCH_STATE_DIR, so `migbench cleanup` finds them if the
 * bench is killed). Run as root with `npm run bench:probe [-- --seconds 20]`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localHost } from '../src/host/local-host.js';
import { Ledger } from '../src/lab/ledger.js';
import { createLoopDevice } from '../src/lab/loop-device.js';
import { ResourceScope } from '../src/lab/scope.js';
import { sleep } from '../src/lab/wait.js';
import { summarize } from '../src/measure/percentiles.js';
import { DEFAULTS, validateScenario } from '../src/scenario/scenario.js';
import type { LatencySample } from '../src/workload/fio-log.js';
import { startFioProbe } from '../src/workload/fio-probe.js';
import { fillVolume } from '../src/workload/fill.js';
import { Instance } from '../src/workload/instance.js';
import { CHECK_READ_RATE } from '../src/workload/read-probe.js';

const BUDGET = 1.5;

const { values } = parseArgs({
  options: {
    'backing-dir': { type: 'string', default: DEFAULTS.backingDir },
    seconds: { type: 'string', default: '10' },
    'read-rate': { type: 'string', default: DEFAULTS.readRate },
    'write-rate': { type: 'string', default: DEFAULTS.writeRate },
  },
});
const s = validateScenario(
  { ...DEFAULTS, strategy: 'kill-copy-boot', size: '256MiB', blockSize: '4KiB', readRate: values['read-rate']!, writeRate: values['write-rate']!, backingDir: values['backing-dir']! },
  (list) => list.split(','),
);
const never = new AbortController().signal;
const windowMs = Number(values.seconds) * 1000;
const blocks = s.sizeBytes / s.blockSize;

interface Figures {
  probe: string;
  reads: number;
  p50: number;
  p99: number;
}

const figures = (probe: string, samples: readonly LatencySample[]): Figures => {
  const sum = summarize(samples.map((r) => (r.completedNs - r.scheduledNs) / 1e3));
  return { probe, reads: sum.count, p50: sum.p50, p99: sum.p99 };
};

/** fio timing reads alone. */
async function fioRaw(scope: ResourceScope, device: string, workDir: string): Promise<Figures> {
  const fio = startFioProbe(scope, { device, host: localHost, blockSize: s.blockSize, readRate: s.readRate, workDir, name: 'raw' });
  await sleep(windowMs, never);
  return figures('fio raw', await fio.stop());
}

/** What runs beside the probe: the instance's writes and its own (checked) reads. */
interface Variant {
  probe: string;
  /** Who times the reads. */
  timer: 'fio' | 'stamped';
  writeRateBps: number;
  /** The instance's reads per second. */
  readRate: number;
}

/** A stamped instance writing and reading per `v`; fio times reads alongside when `v.timer` is fio. */
async function withInstance(scope: ResourceScope, device: string, workDir: string, v: Variant): Promise<Figures> {
  const child = new ResourceScope(scope.ledger);
  try {
    const inst = Instance.start(child, localHost, { device, epoch: 1, blockSize: s.blockSize, blocks, writeRateBps: v.writeRateBps, readRate: v.readRate, seed: 0x0a01 });
    if (v.writeRateBps > 0) await inst.waitFirstAck();
    const fio = v.timer === 'fio' ? startFioProbe(child, { device, host: localHost, blockSize: s.blockSize, readRate: s.readRate, workDir, name: 'default' }) : undefined;
    const from = Number(process.hrtime.bigint());
    await sleep(windowMs, never);
    const fioReads = await fio?.stop();
    await inst.stop();
    return figures(v.probe, fioReads ?? inst.reads.filter((r) => r.scheduledNs >= from));
  } finally {
    await child.close();
  }
}

async function main(): Promise<number> {
  const ledger = new Ledger(`bench-probe-${process.pid}`);
  const scope = new ResourceScope(ledger);
  const workDir = await mkdtemp(join(tmpdir(), 'migbench-bench-probe-'));
  const onSignal = (): void => void scope.close().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  try {
    const device = await createLoopDevice(scope, join(s.backingDir, `migbench-bench-probe-${process.pid}.img`), s.sizeBytes);
    await fillVolume(device, s.blockSize, blocks);
    console.log(`raw loop device ${device} over ${s.backingDir}: ${s.readRate} random ${s.blockSize}-byte reads/s, ${windowMs / 1000} s each; writes at ${s.writeRateBps / 8e6} MB/s with the instance`);
    const raw = await fioRaw(scope, device, workDir);
    const check = Math.min(s.readRate, CHECK_READ_RATE);
    const variants: Variant[] = [
      { probe: 'default: fio + stamped writes and checks', timer: 'fio', writeRateBps: s.writeRateBps, readRate: check },
      { probe: 'fio + stamped checks only', timer: 'fio', writeRateBps: 0, readRate: check },
      { probe: 'fio + stamped writes only', timer: 'fio', writeRateBps: s.writeRateBps, readRate: 0 },
      { probe: '--probe stamped (with writes)', timer: 'stamped', writeRateBps: s.writeRateBps, readRate: s.readRate },
      { probe: '--probe stamped, reads only', timer: 'stamped', writeRateBps: 0, readRate: s.readRate },
    ];
    const rows = [raw];
    for (const v of variants) rows.push(await withInstance(scope, device, workDir, v));
    const pad = Math.max(...rows.map((r) => r.probe.length));
    console.log(`${'probe'.padEnd(pad)}  reads    p50 µs    p99 µs  p50/fio  p99/fio`);
    for (const r of rows) {
      console.log(
        `${r.probe.padEnd(pad)}  ${String(r.reads).padStart(5)}  ${r.p50.toFixed(1).padStart(8)}  ${r.p99.toFixed(1).padStart(8)}  ${(r.p50 / raw.p50).toFixed(2).padStart(7)}  ${(r.p99 / raw.p99).toFixed(2).padStart(7)}`,
      );
    }
    const def = rows[1]!;
    const ok = def.p50 <= BUDGET * raw.p50 && def.p99 <= BUDGET * raw.p99;
    console.log(`default probe within ${BUDGET}× of fio on the raw device (p50 and p99): ${ok ? 'yes' : 'NO'}`);
    return ok ? 0 : 1;
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
