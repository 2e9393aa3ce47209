/**
 * The read probe's own overhead: how far the default read-latency figures are from what fio
 * sees on the same raw device. On a fresh loop device over `--backing-dir` (default the
 * scenario's, /dev/shm; no direct I/O, as `migbench run` attaches its volumes), filled with
 * stamped blocks, it times `--read-rate` 4 KiB random reads with fio's probe command line
 * (the one `migbench run` uses, at its nice value; printed) in windows of `--seconds`:
 * - `fio raw`: fio alone on the idle device (the reference), and `fio raw, again`: the same
 *   a second time, the noise floor of the ratio on a machine shared with other jobs;
 * - `default`: what `migbench run` does by default (`--probe fio`): the stamped instance writes
 *   at `--write-rate` and checks content at its lower rate while fio times the reads;
 * - the default's parts (writes only, checks only); the same writes issued by a second fio
 *   job (the device under the scenario's write rate with no migbench process: the default
 *   is also printed against it, the probe's own overhead); fio alone and the default with
 *   fio at nice 0 instead of the probe's PROBE_NICE, and `--probe stamped`.
 * Every round runs each variant once, in a shuffled order, so a load that comes and goes on
 * the machine falls on all of them alike; each variant's reads are pooled over `--rounds`.
 * Prints the configuration, p50 / p99 of each and their ratio to `fio raw`; exits 1 when the
 * default's p50 or p99 is more than 1.5× fio's. The loop device and its file are created and
 * released here (recorded in a ledger under $MIGBENCH_STATE_DIR, so `migbench cleanup` finds
 * them if the bench is killed). Run as root with `npm run bench:probe [-- --rounds 8]`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localHost } from '../src/host/local-host.js';
import { Ledger } from '../src/lab/ledger.js';
import { createLoopDevice } from '../src/lab/loop-device.js';
import { ResourceScope } from '../src/lab/scope.js';
import { sleep, waitFor } from '../src/lab/wait.js';
import { treeHasOpen } from '../src/host/proc.js';
import { summarize } from '../src/measure/percentiles.js';
import { DEFAULTS, validateScenario } from '../src/scenario/scenario.js';
import type { LatencySample } from '../src/workload/fio-log.js';
import { fioProbeArgs, PROBE_NICE, startFioProbe } from '../src/workload/fio-probe.js';
import { fillVolume } from '../src/workload/fill.js';
import { Instance } from '../src/workload/instance.js';
import { CHECK_READ_RATE } from '../src/workload/read-probe.js';

const BUDGET = 1.5;

const { values } = parseArgs({
  options: {
    'backing-dir': { type: 'string', default: DEFAULTS.backingDir },
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '6' },
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
const rounds = Number(values.rounds);
if (!(windowMs > 0) || !Number.isInteger(rounds) || rounds < 1) {
  console.error('--seconds must be > 0 and --rounds a whole number ≥ 1');
  process.exit(2);
}
const blocks = s.sizeBytes / s.blockSize;

/** What runs beside the timed reads: the instance's writes and its own (checked) reads. */
interface Variant {
  probe: string;
  /** Who times the reads. */
  timer: 'fio' | 'stamped';
  writeRateBps: number;
  /** The instance's reads per second (0 and no writes: no instance, the device is idle). */
  readRate: number;
  /** fio's nice value (the probe's, {@link PROBE_NICE}, unless the variant says otherwise). */
  nice?: number;
  /**
   * Who writes at `writeRateBps`: the stamped instance (default), or a second fio job with
   * the same size, rate and durability (O_DIRECT|O_DSYNC) — the device's own answer to the
   * writes, with no migbench code in the picture.
   */
  writer?: 'stamped' | 'fio';
}

/** A fio job writing like the stamped instance: random `blockSize` writes at `rateBps`, O_DIRECT|O_DSYNC. */
function fioWriterArgs(device: string, rateBps: number): string[] {
  return [
    '--name=writer', `--filename=${device}`, '--rw=randwrite', `--bs=${s.blockSize}`, '--direct=1', '--sync=dsync',
    '--ioengine=psync', `--rate=${Math.round(rateBps / 8)}`, '--time_based', '--runtime=24h', '--output=/dev/null',
  ];
}

/** One window of `v`: the reads it timed. */
async function window(scope: ResourceScope, device: string, workDir: string, v: Variant): Promise<LatencySample[]> {
  const child = new ResourceScope(scope.ledger);
  try {
    const fioWrites = v.writer === 'fio';
    const busy = (v.writeRateBps > 0 && !fioWrites) || v.readRate > 0;
    if (fioWrites) {
      const writer = localHost.start(child, 'fio', fioWriterArgs(device, v.writeRateBps), { stopSignal: 'SIGINT' });
      await waitFor('the fio writer to open the device', () => {
        if (writer.hasExited()) throw new Error(`fio writer exited: ${writer.stderrTail().trim()}`);
        return treeHasOpen(writer.pid, device, { descendantsOnly: true }) ? true : undefined;
      });
    }
    const inst = busy ? Instance.start(child, localHost, { device, epoch: 1, blockSize: s.blockSize, blocks, writeRateBps: fioWrites ? 0 : v.writeRateBps, readRate: v.readRate, seed: 0x0a01 }) : undefined;
    if (v.writeRateBps > 0 && !fioWrites) await inst!.waitFirstAck();
    const fio = v.timer === 'fio' ? startFioProbe(child, { device, host: localHost, blockSize: s.blockSize, readRate: s.readRate, workDir, name: 'probe', nice: v.nice ?? PROBE_NICE }) : undefined;
    await fio?.ready;
    const from = Number(process.hrtime.bigint());
    await sleep(windowMs, never);
    const fioReads = await fio?.stop();
    await inst?.stop();
    return fioReads ?? inst!.reads.filter((r) => r.scheduledNs >= from);
  } finally {
    await child.close();
  }
}

/** Fisher–Yates: the order of one round's variants. */
function shuffled<T>(xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
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
    const check = Math.min(s.readRate, CHECK_READ_RATE);
    const idle = { timer: 'fio', writeRateBps: 0, readRate: 0 } as const;
    const variants: Variant[] = [
      { probe: 'fio raw', ...idle },
      { probe: 'fio raw, again', ...idle },
      { probe: 'default: fio + stamped writes and checks', timer: 'fio', writeRateBps: s.writeRateBps, readRate: check },
      { probe: 'fio + stamped writes only', timer: 'fio', writeRateBps: s.writeRateBps, readRate: 0 },
      { probe: 'fio + fio writes (same rate, no migbench)', timer: 'fio', writeRateBps: s.writeRateBps, readRate: 0, writer: 'fio' },
      { probe: 'fio + stamped checks only', timer: 'fio', writeRateBps: 0, readRate: check },
      { probe: 'fio raw at nice 0', ...idle, nice: 0 },
      { probe: 'default with fio at nice 0', timer: 'fio', writeRateBps: s.writeRateBps, readRate: check, nice: 0 },
      { probe: '--probe stamped (with writes)', timer: 'stamped', writeRateBps: s.writeRateBps, readRate: s.readRate },
    ];
    const fstype = (await localHost.run('stat', ['-f', '-c', '%T', s.backingDir])).trim();
    console.log(`device:   raw loop ${device} (direct I/O off, as migbench run attaches volumes) over ${s.backingDir} (${fstype}), filled`);
    console.log(`fio:      nice -n ${PROBE_NICE} fio ${fioProbeArgs({ device, blockSize: s.blockSize, readRate: s.readRate, name: 'probe' }, '<log>', '<json>').join(' ')}`);
    console.log(`workload: stamped instance, ${s.writeRateBps / 8e6} MB/s of ${s.blockSize}-byte O_DIRECT|O_DSYNC writes, checked reads at ${check}/s`);
    console.log(`windows:  ${rounds} rounds × ${windowMs / 1000} s per variant, shuffled within a round; ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(1)} at start`);
    const pooled = new Map<string, LatencySample[]>(variants.map((v) => [v.probe, []]));
    for (let r = 0; r < rounds; r++) {
      for (const v of shuffled(variants)) pooled.get(v.probe)!.push(...(await window(scope, device, workDir, v)));
    }
    const rows = variants.map((v) => {
      const sum = summarize(pooled.get(v.probe)!.map((x) => (x.completedNs - x.scheduledNs) / 1e3));
      return { probe: v.probe, reads: sum.count, p50: sum.p50, p99: sum.p99 };
    });
    const raw = rows[0]!;
    const pad = Math.max(...rows.map((r) => r.probe.length));
    console.log(`load average ${loadavg()[0]!.toFixed(1)} at end`);
    console.log(`${'probe'.padEnd(pad)}  reads    p50 µs    p99 µs  p50/fio  p99/fio`);
    for (const r of rows) {
      console.log(
        `${r.probe.padEnd(pad)}  ${String(r.reads).padStart(5)}  ${r.p50.toFixed(1).padStart(8)}  ${r.p99.toFixed(1).padStart(8)}  ${(r.p50 / raw.p50).toFixed(2).padStart(7)}  ${(r.p99 / raw.p99).toFixed(2).padStart(7)}`,
      );
    }
    const within = (r: { p50: number; p99: number }): boolean => r.p50 <= BUDGET * raw.p50 && r.p99 <= BUDGET * raw.p99;
    const again = rows[1]!;
    if (!within(again)) console.log(`note: fio raw against itself is beyond ${BUDGET}× (the machine's load varies more than the budget): rerun, or more --rounds`);
    const ok = within(rows[2]!);
    console.log(`default probe within ${BUDGET}× of fio on the idle raw device (p50 and p99): ${ok ? 'yes' : 'NO'}`);
    // The probe's own overhead: the default against fio timing the same device under the
    // same writes from a fio writer (no migbench process in that picture at all).
    const sameWrites = rows.find((r) => r.probe.startsWith('fio + fio writes'))!;
    const overhead = { p50: rows[2]!.p50 / sameWrites.p50, p99: rows[2]!.p99 / sameWrites.p99 };
    console.log(`default probe against fio beside fio's own writes at the same rate: ${overhead.p50.toFixed(2)}× p50, ${overhead.p99.toFixed(2)}× p99`);
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
