import { readFileSync } from 'node:fs';

/**
 * A test hook: `MIGBENCH_TEST_ABORT_AT=<step>[+<ms>]` makes the run signal itself the
 * first time a repetition enters that step — named (`warmup`, `async-clone`) or by its
 * 1-based position in the repetition (`3`) — after `<ms>` if given.
 * `MIGBENCH_TEST_ABORT_SIGNAL` picks the signal (SIGINT by default; SIGKILL stands for a
 * run killed outright); a comma list sends the first as below and the others to migbench
 * alone, at once (`SIGINT,SIGKILL`: Ctrl-C reaches the daemons, migbench never releases). The signal goes to migbench's process group when migbench leads
 * one, as Ctrl-C in a terminal does (its daemons get it too), else to migbench alone.
 * Unset, the hook does nothing.
 */
export interface AbortAt {
  step?: string;
  index?: number;
  delayMs: number;
}

/** Parses the hook's value (pure); undefined when unset or empty. */
export function parseAbortAt(text: string | undefined): AbortAt | undefined {
  if (!text?.trim()) return undefined;
  const m = /^(.+?)(?:\+(\d+))?$/.exec(text.trim())!;
  const what = m[1]!;
  const delayMs = m[2] ? Number(m[2]) : 0;
  return /^\d+$/.test(what) ? { index: Number(what), delayMs } : { step: what, delayMs };
}

/** True if entering `step`, the `index`-th step (1-based) of a repetition, is where `at` aborts (pure). */
export function abortsAt(at: AbortAt, step: string, index: number): boolean {
  return at.step !== undefined ? at.step === step : at.index === index;
}

let fired = false;

/** Called on entering each step: signals the run if the hook says so (once per process). */
export function testAbortHook(step: string, index: number, env = process.env): void {
  const at = parseAbortAt(env.MIGBENCH_TEST_ABORT_AT);
  if (fired || !at || !abortsAt(at, step, index)) return;
  fired = true;
  const [signal, ...then] = (env.MIGBENCH_TEST_ABORT_SIGNAL ?? 'SIGINT').split(',') as NodeJS.Signals[];
  const send = (): void => {
    process.stderr.write(`\nMIGBENCH_TEST_ABORT_AT: ${signal!} at step "${step}" (${index})\n`);
    // 0: the caller's process group.
    process.kill(leadsProcessGroup() ? 0 : process.pid, signal);
    // `SIGINT,SIGKILL`: the daemons get Ctrl-C, migbench dies before it can release anything.
    for (const s of then) process.kill(process.pid, s);
  };
  if (at.delayMs > 0) setTimeout(send, at.delayMs);
  else send();
}

/** True if this process is its process group's leader (field 5 of /proc/self/stat). */
function leadsProcessGroup(): boolean {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === process.pid;
}
