/**
 * fio's per-I/O latency log (`--write_lat_log` with `--log_avg_msec=0`) and its JSON
 * summary, as pure functions. With `--log_alternate_epoch=1 --log_alternate_epoch_clock_id=1`
 * the first column is CLOCK_MONOTONIC in ms, the clock `process.hrtime` reads, so each I/O
 * lands on migbench's own timeline.
 */

/** One line of a latency log: `time_ms, value_ns, ddir, bs, offset[, prio]`. */
export interface FioLogEntry {
  /** When the I/O completed (ms of the log's clock). */
  timeMs: number;
  /** Submission → completion, ns. */
  latNs: number;
  /** 0 read, 1 write, 2 trim. */
  ddir: number;
  bs: number;
  offset: number;
}

/** A timed read: issue and completion on the monotonic clock, ns. */
export interface LatencySample {
  scheduledNs: number;
  completedNs: number;
}

/** Parses a latency log; throws on a malformed line (a torn log is a failed probe). */
export function parseLatLog(text: string): FioLogEntry[] {
  const out: FioLogEntry[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    const f = line.split(',').map((x) => Number(x.trim()));
    if (f.length < 5 || f.slice(0, 5).some((n) => !Number.isFinite(n))) throw new Error(`fio latency log line ${i + 1} is malformed: ${line}`);
    out.push({ timeMs: f[0]!, latNs: f[1]!, ddir: f[2]!, bs: f[3]!, offset: f[4]! });
  }
  return out;
}

/**
 * Reads as samples on the monotonic clock. The log stamps completion to the millisecond and
 * the latency to the nanosecond, so the issue time is completion − latency (±1 ms).
 */
export function readSamples(entries: readonly FioLogEntry[]): LatencySample[] {
  return entries
    .filter((e) => e.ddir === 0)
    .map((e) => {
      const completedNs = e.timeMs * 1e6;
      return { scheduledNs: completedNs - e.latNs, completedNs };
    });
}

export interface FioSummary {
  error: number;
  readIos: number;
}

/**
 * The parts of fio's `--output-format=json` the probe checks. fio may print a line such
 * as "fio: terminating on signal 2" into the output file before the JSON.
 */
export function parseFioJson(text: string): FioSummary {
  const start = text.indexOf('{');
  if (start < 0) throw new Error('fio wrote no JSON output');
  const doc = JSON.parse(text.slice(start)) as { jobs?: { error?: number; read?: { total_ios?: number } }[] };
  const job = doc.jobs?.[0];
  if (!job) throw new Error('fio JSON output has no job');
  return { error: job.error ?? 0, readIos: job.read?.total_ios ?? 0 };
}
