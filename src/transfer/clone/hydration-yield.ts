/**
 * Background hydration that yields to the destination's own reads (pure logic; the process
 * is hydration-yield-main.ts). Under latency an on-demand fetch waits on the link behind
 * the hydration reader's requests, and each one holds one of nbdfuse's 10 FUSE workers
 * for that long, so the workers saturate and reads queue in the kernel
 * (docs/performance.md, "Reads while hydrating under latency"). dm-clone's rule is to
 * hydrate in the background only while no application I/O is in flight; here the signal
 * is the FUSE connection's `waiting` count (requests queued for nbdfuse or being served
 * by it), and the reader is paused (SIGSTOP: its requests already sent finish, no new
 * ones leave) while that count is at `pauseAt` or more, until it falls to `resumeAt`.
 * A pause never lasts longer than `maxPauseMs` at a time, then the reader runs for
 * `minRunMs`, so a workload that keeps FUSE busy cannot stop hydration for good; each
 * further pause that ends that way doubles the run (up to `maxRunMs`), because a pause that
 * does not drain FUSE means the reads wait on something other than the link (at 50 ms
 * round trip, nbdfuse's 10 workers themselves), and pausing then only costs hydration.
 */

/** When the reader pauses and resumes. */
export interface YieldPolicy {
  /** Pause when this many FUSE requests are waiting or in service. */
  pauseAt: number;
  /** Resume when at most this many are. */
  resumeAt: number;
  /** Longest single pause, ms. */
  maxPauseMs: number;
  /** Shortest run after a pause that hit `maxPauseMs`, ms. */
  minRunMs: number;
  /** The run after consecutive such pauses doubles up to this, ms. */
  maxRunMs: number;
}

/**
 * `--hydration-yield n`: pause at n requests outstanding, resume at n/2 (pure). A hit through
 * FUSE takes well under a millisecond, so many at once means fetches from the source are
 * waiting; the kernel lets 12 asynchronous requests reach nbdfuse at once (max_background),
 * so the count stops near 13. The 200 ms cap and the 20–1600 ms runs keep a busy workload
 * from stopping hydration (docs/performance.md, "Hydration that yields").
 */
export function yieldPolicy(n: number): YieldPolicy {
  return { pauseAt: n, resumeAt: Math.floor(n / 2), maxPauseMs: 200, minRunMs: 20, maxRunMs: 1600 };
}

/** The reader's state as the controller tracks it. */
export interface YieldState {
  paused: boolean;
  /** When the current pause or run began, ms (any monotonic clock). */
  sinceMs: number;
  /** Whether the current run was forced by `maxPauseMs` (then it lasts at least `runMs`). */
  forced: boolean;
  /** The last forced run's length, ms; 0 once a pause has ended with FUSE quiet. */
  runMs: number;
}

/** The state after seeing `waiting` at `nowMs` (pure); a changed `paused` is a signal to send. */
export function nextYieldState(s: YieldState, waiting: number, nowMs: number, p: YieldPolicy): YieldState {
  if (s.paused) {
    if (waiting <= p.resumeAt) return { paused: false, sinceMs: nowMs, forced: false, runMs: 0 };
    if (nowMs - s.sinceMs >= p.maxPauseMs) {
      const runMs = s.runMs === 0 ? p.minRunMs : Math.min(p.maxRunMs, s.runMs * 2);
      return { paused: false, sinceMs: nowMs, forced: true, runMs };
    }
    return s;
  }
  if (s.forced && nowMs - s.sinceMs < s.runMs) return s;
  if (waiting >= p.pauseAt) return { paused: true, sinceMs: nowMs, forced: false, runMs: s.runMs };
  return s.forced ? { ...s, forced: false } : s;
}

/**
 * The name of a FUSE mount's directory under /sys/fs/fuse/connections, from `st_dev` of a
 * file on it (pure): the kernel names it by its own dev_t (major << 20 | minor), which
 * glibc's encoding of st_dev splits differently.
 */
export function fuseConnectionName(stDev: bigint): string {
  const major = ((stDev >> 8n) & 0xfffn) | ((stDev >> 32n) & ~0xfffn);
  const minor = (stDev & 0xffn) | ((stDev >> 12n) & ~0xffn);
  return String((major << 20n) | minor);
}

/** The FUSE `waiting` file's content as a count (pure); throws on anything else. */
export function parseWaiting(text: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t)) throw new Error(`unexpected FUSE waiting count ${JSON.stringify(text)}`);
  return Number(t);
}

/** Totals the controller prints when the reader ends. */
export interface YieldSummary {
  pauses: number;
  pausedMs: number;
  /** Pauses that ended at `maxPauseMs` rather than with FUSE quiet. */
  forcedRuns: number;
  /** The highest FUSE count read, and how many reads. */
  maxWaiting: number;
  polls: number;
}
