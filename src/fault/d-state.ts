/**
 * Processes stuck in uninterruptible I/O (state D in /proc/PID/stat): a daemon or a
 * kernel path waiting on a source that no longer answers. migbench's own descendants are
 * checked (other users' processes on the machine are none of its business).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** pid, parent pid, state and command name of a process, from /proc/PID/stat. */
export interface ProcStat {
  pid: number;
  ppid: number;
  state: string;
  comm: string;
}

/** Parses one /proc/PID/stat line (the command name may hold spaces and parentheses). */
export function parseStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const [state, ppid] = text.slice(close + 2).split(' ');
  return { pid: Number(text.slice(0, open).trim()), ppid: Number(ppid), state: state ?? '', comm: text.slice(open + 1, close) };
}

function allStats(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const s = parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (s) out.push(s);
    } catch {
      // Gone since the listing.
    }
  }
  return out;
}

/** The descendants of `root` (pure), from a process list. */
export function descendants(stats: readonly ProcStat[], root: number): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out: ProcStat[] = [];
  const todo = [root];
  while (todo.length) for (const c of children.get(todo.pop()!) ?? []) (out.push(c), todo.push(c.pid));
  return out;
}

/**
 * migbench's descendants in state D in two looks `gapMs` apart (a moment in D is an
 * ordinary disk wait; still there later, it is stuck), as `comm (pid N)`.
 */
export async function stuckInIo(gapMs = 500, root = process.pid): Promise<string[]> {
  const first = new Set(descendants(allStats(), root).filter((s) => s.state === 'D').map((s) => s.pid));
  if (first.size === 0) return [];
  await new Promise((r) => setTimeout(r, gapMs));
  return descendants(allStats(), root)
    .filter((s) => s.state === 'D' && first.has(s.pid))
    .map((s) => `${s.comm} (pid ${s.pid})`);
}
