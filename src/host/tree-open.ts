import { ExecaHost } from './execa-host.js';
import type { HostProcess } from './host.js';
import { treeHasOpen } from './proc.js';

/**
 * The walk of {@link treeHasOpen} as one `sh` on a host that is not this machine: `$1` the
 * root PID, `$2` the path, `$3` 1 to skip the root itself. Descendants over three passes of
 * /proc/PID/stat (field 4, the parent, after the command name's closing parenthesis; no fork
 * per process), then their fds. Prints `open` when one of them holds the path.
 */
export const TREE_HAS_OPEN_SH = [
  'tree=" $1 "',
  'for pass in 1 2 3; do',
  '  for s in /proc/[0-9]*/stat; do',
  '    p=${s#/proc/}; p=${p%/stat}',
  '    case "$tree" in *" $p "*) continue;; esac',
  '    read -r line < "$s" 2>/dev/null || continue',
  '    set -- "$1" "$2" "$3" ${line##*) }',
  '    ppid=$5',
  '    case "$tree" in *" $ppid "*) tree="$tree$p ";; esac',
  '  done',
  'done',
  'for p in $tree; do',
  '  [ "$3" = 1 ] && [ "$p" = "$1" ] && continue',
  '  for fd in /proc/$p/fd/*; do [ "$(readlink "$fd" 2>/dev/null)" = "$2" ] && { echo open; exit 0; }; done',
  'done',
  'true',
].join('\n');

/**
 * True when `proc` (or, with `descendantsOnly`, one of its descendants) holds `path` open,
 * on the host that runs it: this machine's /proc for a lab namespace or the controller,
 * one `sh` over the host otherwise (with the process's PID there).
 */
export async function processTreeHasOpen(proc: HostProcess, path: string, { descendantsOnly = false } = {}): Promise<boolean> {
  if (proc.host instanceof ExecaHost) return treeHasOpen(proc.pid, path, { descendantsOnly });
  const remotePid = await proc.hostPid;
  if (remotePid === undefined) return false;
  const out = await proc.host.run('sh', ['-c', TREE_HAS_OPEN_SH, 'sh', String(remotePid), path, descendantsOnly ? '1' : '0']);
  return out.trim() === 'open';
}
