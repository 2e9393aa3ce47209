import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';

/** Everything on the host that looks like migbench's: namespaces, loop devices, daemons. */
export async function migbenchLeftovers(): Promise<string[]> {
  const found: string[] = [];
  const ns = await execa('ip', ['netns', 'list']);
  found.push(...ns.stdout.split('\n').filter((l) => /^mgb/.test(l)).map((l) => `netns ${l}`));
  const loops = await execa('losetup', ['--list', '--noheadings', '--output', 'NAME,BACK-FILE']);
  // A loop shown over `/` is over the root of a detached mount: an nbdfuse file whose
  // daemon is gone (migbench's qemu stacks); no other program here makes those.
  found.push(...loops.stdout.split('\n').filter((l) => /migbench|\s\/$/.test(l)).map((l) => `loop ${l.trim()}`));
  // Backing files, and any process still carrying a run's mark (src/lab/run-marker.ts).
  for (const dir of ['/dev/shm', '/var/tmp']) {
    found.push(...(existsSync(dir) ? readdirSync(dir) : []).filter((n) => /^migbench-/.test(n)).map((n) => `file ${dir}/${n}`));
  }
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n) && Number(n) !== process.pid)) {
    let env = '';
    try {
      env = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue;
    }
    const mark = /(?:^|\0)MIGBENCH_RUN_ID=([^\0]+)/.exec(env);
    if (mark && !/^Z/.test(procState(pid))) found.push(`process ${pid} ${procComm(pid)} of run ${mark[1]}`);
  }
  const ps = await execa('ps', ['-eo', 'pid=,stat=,args=']);
  found.push(
    ...ps.stdout
      .split('\n')
      .filter((l) => /nbdkit|nbdcopy|nbdfuse|qemu-storage|instance-main|service-main|load-main/.test(l))
      .filter((l) => /mgb|migbench|10\.213\.0/.test(l))
      .map((l) => `process ${l.trim()}`),
  );
  // Kernel-lab only: device-mapper devices with the lab prefix, and live NBD connections.
  if (existsSync('/proc/misc') && /device-mapper/.test(readFileSync('/proc/misc', 'utf8'))) {
    const dm = await execa('dmsetup', ['ls'], { reject: false, env: { DM_DISABLE_UDEV: '1' } });
    found.push(...String(dm.stdout).split('\n').filter((l) => /^mgb/.test(l)).map((l) => `dm ${l.split(/\s+/)[0]}`));
  }
  if (existsSync('/sys/block/nbd0')) {
    found.push(...readdirSync('/sys/block').filter((n) => /^nbd\d+$/.test(n) && existsSync(`/sys/block/${n}/pid`)).map((n) => `nbd /dev/${n}`));
  }
  // The hosts' CPU-accounting groups (src/lab/cpu-cgroup.ts), in whichever hierarchy.
  for (const root of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified', '/sys/fs/cgroup/cpuacct']) {
    found.push(...(existsSync(root) ? readdirSync(root) : []).filter((n) => /^migbench-/.test(n)).map((n) => `cgroup ${root}/${n}`));
  }
  const mounts = await execa('sh', ['-c', 'grep -E "migbench|mgb" /proc/mounts || true']);
  found.push(...mounts.stdout.split('\n').filter(Boolean).map((l) => `mount ${l}`));
  return found;
}

function procState(pid: string): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2);
  } catch {
    return 'Z';
  }
}

function procComm(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/**
 * Leftovers naming the ledger directory `state` or one of the CLI runs `runIds` (their
 * namespace prefix or the id itself): other runs may be live on this host.
 */
export async function leftoversOf(state: string, runIds: readonly string[]): Promise<string[]> {
  const prefixes = runIds.map((id) => `mgb${id.replace(/[^a-z0-9]/gi, '').slice(-6).toLowerCase()}`);
  return (await migbenchLeftovers()).filter(
    (l) => l.includes(state) || prefixes.some((p) => l.includes(p)) || runIds.some((id) => l.includes(id)) || /^loop \S+\s+\/$/.test(l),
  );
}
