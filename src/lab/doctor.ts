import { existsSync } from 'node:fs';
import { localHost } from '../host/local-host.js';
import { hasTool } from './exec.js';
import { cloneBackend } from '../transfer/clone/registry.js';
import { TRACKINGS, trackingProblem } from '../transfer/dirty/tracking.js';
import { describeTool } from './tools.js';

/** One capability the lab needs, and how to get it when it is missing. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** Whether migbench can run without it (the kernel clone backend, for example). */
  optional?: boolean;
}

async function tool(name: string, optional = false): Promise<Check> {
  const ok = await hasTool(name);
  return { name, ok, detail: ok ? 'found' : `missing: install ${describeTool(name)}`, optional };
}

async function probe(name: string, fn: () => Promise<string>, fix: string, optional = false): Promise<Check> {
  try {
    return { name, ok: true, detail: await fn(), optional };
  } catch (err) {
    return { name, ok: false, detail: `${(err as Error).message.split('\n')[0]} — ${fix}`, optional };
  }
}

/** Tools every `run` needs; checked before anything is provisioned. */
export const REQUIRED_TOOLS = ['ip', 'tc', 'losetup', 'nsenter', 'nbdkit', 'nbdcopy'] as const;

/** Runs every check; `netnsProbeName` is a namespace name this process may create and delete. */
export async function runChecks(netnsProbeName: string): Promise<Check[]> {
  const checks: Check[] = [];
  checks.push({ name: 'root', ok: process.getuid?.() === 0, detail: process.getuid?.() === 0 ? 'running as root' : 'run as root (loop devices, namespaces and tc need it)' });
  checks.push({ name: 'loop devices', ok: existsSync('/dev/loop-control'), detail: existsSync('/dev/loop-control') ? '/dev/loop-control present' : 'no /dev/loop-control: load the loop module' });
  checks.push({ name: 'FUSE', ok: existsSync('/dev/fuse'), detail: existsSync('/dev/fuse') ? '/dev/fuse present' : 'no /dev/fuse: load the fuse module' });
  for (const t of [...REQUIRED_TOOLS, 'fio', 'qemu-storage-daemon', 'qemu-img', 'nbdfuse', 'nbdinfo', 'fusermount3', 'blkdiscard', 'mkfs.ext4', 'fsfreeze']) {
    checks.push(await tool(t));
  }
  checks.push(
    await probe(
      'network namespaces + tc',
      async () => {
        await localHost.run('ip', ['netns', 'add', netnsProbeName]);
        try {
          await localHost.run('ip', ['-n', netnsProbeName, 'link', 'set', 'lo', 'up']);
          await localHost.run('tc', ['-n', netnsProbeName, 'qdisc', 'add', 'dev', 'lo', 'root', 'tbf', 'rate', '1gbit', 'burst', '256kb', 'latency', '50ms']);
        } finally {
          await localHost.run('ip', ['netns', 'delete', netnsProbeName]);
        }
        return 'namespace created, tbf qdisc applied, namespace deleted';
      },
      'needs CONFIG_NET_NS and sch_tbf (Debian package iproute2 for the tools)',
    ),
  );
  checks.push(
    await probe('nbdkit plugins and filters', async () => {
      const out = await localHost.run('nbdkit', ['--dump-plugin', 'file']);
      if (!/^name=file$/m.test(out)) throw new Error('file plugin not found');
      await localHost.run('nbdkit', ['--filter=delay', '--dump-plugin', 'pattern']);
      // precopy, mirror and backup-restore serve the tracked source through the nbd plugin.
      await localHost.run('nbdkit', ['--dump-plugin', 'nbd']);
      return 'file, pattern and nbd plugins, delay filter';
    }, 'install nbdkit (Debian package nbdkit)'),
  );
  // Each clone backend says itself why it cannot run (tools, kernel target, NBD client).
  for (const name of ['qemu', 'dm-clone'] as const) {
    const why = await cloneBackend(name).unavailable();
    checks.push({
      name: `clone backend ${name}`,
      ok: why === undefined,
      optional: true,
      detail: why ?? 'available',
    });
  }
  // Pre-copy's dirty tracking, likewise: QEMU bitmaps in userspace, dm-era in the kernel.
  for (const name of TRACKINGS) {
    const why = await trackingProblem(name);
    checks.push({ name: `dirty tracking ${name}`, ok: why === undefined, optional: true, detail: why ?? 'available' });
  }
  return checks;
}
