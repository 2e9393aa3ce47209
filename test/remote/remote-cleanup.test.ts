import { describe, expect, it } from 'vitest';
import { markedKillScript, releaseScript } from '../../src/remote/remote-cleanup.js';
import { parseRemoteLedger } from '../../src/remote/remote-ledger.js';

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
