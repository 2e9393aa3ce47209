import type { RemoteHost } from '../../src/remote/remote-hosts.js';
import { remoteLedgerDir } from '../../src/remote/remote-ledger.js';

/**
 * What migbench left on a real host: processes carrying run `runId`'s mark, mounts and loop
 * devices in its data directory, anything there but migbench's own (empty) ledger and work
 * directories, a tbf on its shaped interface. '' when nothing.
 */
export async function leftOnHost(h: RemoteHost, runId: string | undefined): Promise<string> {
  const d = h.spec.dataDir;
  // Both test hosts share this machine's /proc: only the run's own mark is ours to look for.
  const processes = runId ? `for e in /proc/[0-9]*/environ; do tr '\\0' '\\n' <"$e" 2>/dev/null | grep -qxF MIGBENCH_RUN_ID=${runId} && echo "process $e"; done` : '';
  return h.host.sh(
    `${processes}
     grep -F ' ${d}/' /proc/mounts | sed 's/^/mount /'
     losetup -n -O NAME,BACK-FILE | grep -F '${d}/' | sed 's/^/loop /'
     find ${d} -mindepth 1 -not -path '${remoteLedgerDir(h.spec)}' -not -path '${d}/work' | sed 's/^/path /'
     ls ${remoteLedgerDir(h.spec)} 2>/dev/null | sed 's/^/ledger /'
     ${h.spec.shapeInterface ? `tc qdisc show dev ${h.spec.shapeInterface} | grep -q tbf && echo 'qdisc ${h.spec.shapeInterface}'` : ''}
     true`,
  );
}
