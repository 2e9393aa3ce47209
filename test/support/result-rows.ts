import type { Row } from '../../src/results/read-results.js';

/** A runs.csv row as read back (all strings), with plausible defaults. */
export function row(over: Record<string, string | number>): Row {
  const base: Record<string, string | number> = {
    run_id: 'r1',
    strategy: 'kill-copy-boot',
    rep: 1,
    sweep_point: '',
    backend: '',
    size_bytes: 64 * 2 ** 20,
    block_size_bytes: 4096,
    write_rate_bps: 64e6,
    read_rate_per_s: 200,
    link_bps: 1e9,
    link_measured_bps: 9e8,
    latency_ms: 0,
    link_rtt_measured_ms: 0.2,
    interruption_ms: 800,
    split_brain_ms: 0,
    migration_ms: 700,
    hydration_ms: 0,
    lost_bytes: 0,
    corrupt_bytes: 0,
    diverged_bytes: 0,
    stale_reads: 0,
    copy_efficiency: 0.9,
    status: 'ok',
    error: '',
  };
  return Object.fromEntries(Object.entries({ ...base, ...over }).map(([k, v]) => [k, String(v)]));
}

/** Repetitions of one strategy with the given values of one metric. */
export function reps(strategy: string, metric: string, xs: readonly number[], over: Record<string, string | number> = {}): Row[] {
  return xs.map((x, i) => row({ strategy, rep: i + 1, [metric]: x, ...over }));
}
