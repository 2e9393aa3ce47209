/**
 * The hydration reader's controller, run on the host that mounts the clone's FUSE file:
 * it starts the reader (its child, so its PID cannot be reused while the controller may
 * still signal it) and pauses it while B's FUSE connection has requests waiting
 * (hydration-yield.ts). The reader's stdout is the controller's; at the end one line
 * `hydration-yield {…}` (YieldSummary) follows, and the controller exits as the reader did.
 *
 * Started inside its own mount namespace (hydration-yield-process.ts), where fusectl is
 * mounted if the host has not: nothing is mounted on the host itself.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { fuseConnectionName, nextYieldState, parseWaiting, type YieldPolicy, type YieldState, type YieldSummary } from './hydration-yield.js';

export interface HydrationYieldConfig {
  /** The FUSE-mounted file B's loop device reads. */
  fuseFile: string;
  policy: YieldPolicy;
  /** How often the FUSE count is read, ms. */
  pollMs: number;
  /** The reader's argv. */
  command: string[];
}

function main(): void {
  const cfg = JSON.parse(process.argv[2] ?? '') as HydrationYieldConfig;
  const conn = fuseConnectionName(statSync(cfg.fuseFile, { bigint: true }).dev);
  const file = `/sys/fs/fuse/connections/${conn}/waiting`;
  const buf = Buffer.alloc(32);
  // fusectl's files cannot seek (ESPIPE): each read opens the file again.
  const waiting = (): number => {
    const fd = openSync(file, 'r');
    try {
      return parseWaiting(buf.toString('latin1', 0, readSync(fd, buf, 0, buf.length, null)));
    } finally {
      closeSync(fd);
    }
  };
  waiting(); // fails here, before the reader starts, if the connection is not there

  // setpriv: the reader dies with the controller, even a SIGKILLed one (and even stopped).
  const [cmd, ...args] = cfg.command;
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', cmd!, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  let state: YieldState = { paused: false, sinceMs: performance.now(), forced: false, runMs: 0 };
  const summary: YieldSummary = { pauses: 0, pausedMs: 0, forcedRuns: 0, maxWaiting: 0, polls: 0 };
  const signal = (sig: NodeJS.Signals): void => {
    // Only while it is unreaped: Node reaps it and runs the exit handler on this thread.
    if (alive()) child.kill(sig);
  };
  const timer = setInterval(() => {
    const now = performance.now();
    let count: number;
    try {
      count = waiting();
    } catch (err) {
      // The mount is gone (unmounted, a crash): nothing left to yield to.
      clearInterval(timer);
      process.stderr.write(`hydration-yield: ${(err as Error).message}; no longer pausing\n`);
      if (state.paused) summary.pausedMs += now - state.sinceMs;
      state = { paused: false, sinceMs: now, forced: false, runMs: 0 };
      signal('SIGCONT');
      return;
    }
    summary.maxWaiting = Math.max(summary.maxWaiting, count);
    summary.polls++;
    const next = nextYieldState(state, count, now, cfg.policy);
    if (next.paused === state.paused) {
      state = next;
      return;
    }
    if (next.paused) {
      summary.pauses++;
      signal('SIGSTOP');
    } else {
      summary.pausedMs += now - state.sinceMs;
      if (next.forced) summary.forcedRuns++;
      signal('SIGCONT');
    }
    state = next;
  }, cfg.pollMs);

  const stop = (sig: NodeJS.Signals): void => {
    clearInterval(timer);
    signal('SIGCONT');
    signal(sig);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGTERM'));
  child.on('error', (err) => {
    clearInterval(timer);
    process.stderr.write(`hydration reader: ${err.message}\n`);
    process.exit(127);
  });
  child.on('exit', (code, sig) => {
    clearInterval(timer);
    if (state.paused) summary.pausedMs += performance.now() - state.sinceMs;
    summary.pausedMs = Math.round(summary.pausedMs);
    process.stdout.write(`hydration-yield ${JSON.stringify(summary)}\n`, () => process.exit(code ?? 128 + (sig ? constants.signals[sig] : 0)));
  });
}

main();
