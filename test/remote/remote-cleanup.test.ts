import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { removeCpuGroupScript } from '../../src/remote/remote-cpu-group.js';
import { markedKillScript, releaseScript } from '../../src/remote/remote-cleanup.js';
import { parseRemoteLedger } from '../../src/remote/remote-ledger.js';
import { testTempDir } from '../support/temp-dir.js';

describe('remote cleanup scripts', () => {
  it('touches paths only inside the data directory', () => {
    expect(releaseScript({ kind: 'file', path: '/srv/mb/x.img' }, '/srv/mb')).toBe('rm -f -- /srv/mb/x.img');
    expect(releaseScript({ kind: 'dir', path: '/srv/mb/run 1' }, '/srv/mb/')).toBe("rm -rf -- '/srv/mb/run 1'");
    expect(releaseScript({ kind: 'file', path: '/srv/mbx/x.img' }, '/srv/mb')).toBeUndefined();
    expect(releaseScript({ kind: 'dir', path: '/etc' }, '/srv/mb')).toBeUndefined();
  });

  it('kills a recorded process only while its start time matches, detaches loops only by backing file', () => {
    expect(releaseScript({ kind: 'process', pid: 42, startTime: 777, comm: 'x' }, '/d')).toMatch(/\/proc\/42\/stat.*= 777 \] && kill -9 42/);
    expect(releaseScript({ kind: 'loop', backingFile: '/d/a b.img' }, '/d')).toBe("losetup -n -O NAME -j '/d/a b.img' | while read -r d; do losetup -d \"$d\"; done");
  });

  it("removes a run's CPU group on the host, never another cgroup", () => {
    const script = releaseScript({ kind: 'cgroup', path: '/sys/fs/cgroup/migbench-20261201-010203-abc123-a' }, '/d');
    expect(script).toContain('rmdir /sys/fs/cgroup/migbench-20261201-010203-abc123-a');
    expect(script).toContain('cgroup.kill');
    expect(releaseScript({ kind: 'cgroup', path: '/sys/fs/cgroup/system.slice' }, '/d')).toBeUndefined();
  });

  it('the CPU group script leaves once the group is gone, and fails on one that never empties', () => {
    const root = testTempDir('migbench-cg-');
    const gone = join(root, 'migbench-r1-a');
    mkdirSync(gone);
    expect(execaSync('sh', ['-c', removeCpuGroupScript(gone)!]).exitCode).toBe(0);
    expect(existsSync(gone)).toBe(false);
    // A plain directory with a file in it stands for a group whose processes never leave.
    const stuck = join(root, 'migbench-r1-b');
    mkdirSync(stuck);
    writeFileSync(join(stuck, 'cgroup.procs'), '');
    const r = execaSync('sh', ['-c', removeCpuGroupScript(stuck, 3)!], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('still holds pids');
  });

  it('finds marked processes by the exact mark line, never a prefix of another run id', () => {
    expect(markedKillScript('r1')).toContain("grep -qxF MIGBENCH_RUN_ID=r1");
  });

  it('reads back which controller owned a remote ledger and what it still holds', () => {
    const text = [
      JSON.stringify({ op: 'run', runId: 'r1', pid: 9, startTime: 5, createdAt: 'x', controller: 'ctl' }),
      JSON.stringify({ op: 'create', id: 1, entry: { kind: 'file', path: '/d/f' } }),
      JSON.stringify({ op: 'create', id: 2, entry: { kind: 'loop', backingFile: '/d/f' } }),
      JSON.stringify({ op: 'release', id: 2 }),
      '{"op":"crea',
    ].join('\n');
    const l = parseRemoteLedger('/d/.migbench-ledgers/r1.jsonl', text);
    expect(l).toMatchObject({ runId: 'r1', ownerPid: 9, ownerStartTime: 5, controller: 'ctl', open: [{ kind: 'file', path: '/d/f' }] });
  });
});
