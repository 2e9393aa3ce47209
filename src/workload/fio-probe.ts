import { join } from 'node:path';
import { controllerNs, onHost, type Host } from '../host/host.js';
import { ResourceScope } from '../lab/scope.js';
import { waitFor } from '../lab/wait.js';
import { processTreeHasOpen } from '../host/tree-open.js';
import { parseFioJson, parseLatLog, readSamples, type LatencySample } from './fio-log.js';

export interface FioProbeOptions {
  device: string;
  /** The host the device belongs to: fio runs there, and writes its logs there. */
  host: Host;
  blockSize: number;
  /** Reads per second (`rate_iops`). */
  readRate: number;
  /** Where the latency log and JSON go; `name` keeps probes apart. */
  workDir: string;
  name: string;
  /** fio's nice value; default {@link PROBE_NICE} (the bench compares against 0). */
  nice?: number;
}

/**
 * fio's CPU priority. On two cores the stamped writer (~2000 timer wakeups and O_DSYNC
 * writes a second at 8 MB/s) competes with fio at equal weight, and fio's wakeups to submit
 * and reap each read wait on the run queue: 255 → 1287 µs of run-queue wait per read
 * (/proc/PID/schedstat), read p50 1.73× and p99 4.1× fio's alone (docs/strategies.md, "Read
 * probes"). At nice -10 fio is the timer it should be; the loop device's worker thread, the
 * writes and everything the migration runs keep their priority, so what fio times is still
 * the device under the workload. The reference in `npm run bench:probe` runs at the same nice.
 */
export const PROBE_NICE = -10;

/** A running fio read probe; `stop` ends it and returns every read it timed. */
export interface FioProbe {
  /** Resolves once fio's job has the device open: from then on it issues reads on schedule. */
  ready: Promise<void>;
  stop(): Promise<LatencySample[]>;
}

/** Read errors the probe goes on from (a fault, issue 12): EIO, EINVAL (nbdfuse's answer), ENXIO. */
const IGNORED_READ_ERRORS = 'EIO,EINVAL,ENXIO';
const IGNORED_READ_ERRNOS: readonly number[] = [5, 22, 6];

/**
 * fio's command line for a probe: random reads at a fixed rate (read-only, O_DIRECT, libaio),
 * each I/O logged with its latency (`--log_avg_msec=0`: per-I/O, never averaged), stamped on
 * CLOCK_MONOTONIC. Exported so `bench/probe-overhead.ts` can print the configuration it measured.
 */
export function fioProbeArgs(o: Pick<FioProbeOptions, 'device' | 'blockSize' | 'readRate' | 'name'>, prefix: string, json: string): string[] {
  return [
    `--name=${o.name}`,
    `--filename=${o.device}`,
    '--readonly',
    // A read the device fails (a fault, issue 12: EIO, or EINVAL through nbdfuse) must not end the probe.
    '--continue_on_error=read',
    `--ignore_error=${IGNORED_READ_ERRORS}`,
    '--rw=randread',
    `--bs=${o.blockSize}`,
    '--direct=1',
    '--ioengine=libaio',
    '--iodepth=64',
    `--rate_iops=${Math.max(1, Math.round(o.readRate))}`,
    '--time_based',
    '--runtime=24h',
    `--write_lat_log=${prefix}`,
    '--log_avg_msec=0',
    // Log time = CLOCK_MONOTONIC (clock id 1) in ms: the clock of migbench's timeline.
    '--log_alternate_epoch=1',
    '--log_alternate_epoch_clock_id=1',
    '--output-format=json',
    `--output=${json}`,
  ];
}

/**
 * Random reads at a fixed rate with fio (read-only, O_DIRECT, libaio), each I/O logged
 * with its latency (`--log_avg_msec=0`: per-I/O, never averaged). `--iodepth` lets fio keep
 * issuing on schedule while earlier reads are still waiting on the network, so a slow read
 * does not hide the ones behind it (coordinated omission) until 64 are outstanding.
 */
export function startFioProbe(parent: ResourceScope, o: FioProbeOptions): FioProbe {
  const scope = new ResourceScope(parent.ledger);
  parent.defer(`fio probe ${o.name}`, () => scope.close());
  const prefix = onHost(o.host, join(o.workDir, `fio-${o.name}`));
  const json = `${prefix}.json`;
  const args = fioProbeArgs(o, prefix, json);
  // SIGINT: fio finishes the job, writes its logs and the JSON summary, and exits. As the
  // stop signal it is the one execa sends and escalates (SIGKILL after the grace period),
  // on stop() and on the scope's release alike.
  // `nice` execs fio (as nsenter does): the pid is fio's, and so is the tree below it.
  // fio's job process runs in a session of its own and can outlive the main process (an
  // interrupted run: orphaned, holding the device); stop() SIGKILLs it by the mark every
  // started process carries (host/process-mark.ts).
  const fio = o.host.start(scope, 'nice', ['-n', String(o.nice ?? PROBE_NICE), 'fio', ...args], { stopSignal: 'SIGINT' });
  // fio announces nothing when its job starts; a probe stopped before then writes no log.
  // (Read on fio's host: this machine's /proc for a lab namespace, over the host otherwise.)
  // Generous: fio starts slowly on a loaded machine or under the kernel lab's emulator (seen > 10 s); its exit ends the wait at once.
  const ready = waitFor(`fio probe ${o.name} to open ${o.device}`, async () => {
    if (fio.hasExited()) throw new Error(`fio probe ${o.name} exited: ${fio.stderrTail().trim()}`);
    // fio's main process opens the device too, before it forks the job: wait for the job.
    return (await processTreeHasOpen(fio, o.device, { descendantsOnly: true })) ? true : undefined;
  }, { timeoutMs: 60_000, intervalMs: 50 }).then(() => undefined);
  ready.catch(() => undefined); // awaited by the caller and by stop()
  return {
    ready,
    async stop() {
      await ready;
      await fio.stop();
      await scope.close();
      const read = (path: string): Promise<string> => o.host.readFile(path).then(String);
      const summary = parseFioJson(await read(json).catch(() => ''));
      // Reads the device failed (a fault) were ignored, not fatal: fio still reports the first.
      const ignored = summary.error !== undefined && IGNORED_READ_ERRNOS.includes(summary.error);
      if (summary.error && !ignored) throw new Error(`fio probe ${o.name} failed with error ${summary.error}: ${fio.stderrTail()}`);
      const entries = parseLatLog(await read(`${prefix}_lat.1.log`));
      // fio stamps with its host's clock: mapped onto the controller's (a real host's offset).
      const samples = readSamples(entries).map((r) => ({ scheduledNs: controllerNs(o.host, r.scheduledNs), completedNs: controllerNs(o.host, r.completedNs) }));
      // Every read fio counted must be in the log, or the percentiles would be of a subset.
      if (samples.length !== summary.readIos && !ignored) throw new Error(`fio probe ${o.name}: ${summary.readIos} reads, ${samples.length} logged`);
      return samples;
    },
  };
}
