import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { txBytes } from '../../src/lab/hosts.js';
import { Ledger } from '../../src/lab/ledger.js';
import { attachedLoopsOn, createLoopDevice, loopBackingOn } from '../../src/lab/loop-device.js';
import { startNbdExport } from '../../src/lab/nbd-export.js';
import { ResourceScope } from '../../src/lab/scope.js';
import { parseInventory } from '../../src/remote/inventory.js';
import { closeConnections, remoteHosts, type RemoteHost } from '../../src/remote/remote-hosts.js';
import { parseRemoteLedger, RemoteLedger } from '../../src/remote/remote-ledger.js';
import { remoteSide, type RemoteSide } from '../../src/remote/remote-side.js';
import { freshStateDir } from '../support/cli.js';
import { sshTestHostsDown, sshTestHostsUp } from '../support/ssh-test-hosts.js';

let dir = '';
let hosts: { a: RemoteHost; b: RemoteHost };
let a: RemoteSide;
let b: RemoteSide;
const state = freshStateDir();

beforeAll(async () => {
  process.env.MIGBENCH_STATE_DIR = state;
  const up = await sshTestHostsUp();
  dir = up.dir;
  hosts = remoteHosts(parseInventory(readFileSync(up.inventory, 'utf8'), up.inventory));
  a = await remoteSide(hosts.a.host, hosts.a.spec, hosts.b.spec);
  b = await remoteSide(hosts.b.host, hosts.b.spec, hosts.a.spec);
  // What the remote lab does: controller work paths under the state dir live under each host's <dataDir>/work.
  for (const side of [a, b]) side.workRoot = { controller: state, host: side.dataDir };
}, 60_000);

afterAll(async () => {
  if (hosts) await closeConnections([hosts.a, hosts.b]);
  if (dir) await sshTestHostsDown(dir);
}, 60_000);

describe('the data path through SshHost on the test hosts', () => {
  it('asks each host for its end of the link', () => {
    expect(a.iface).toBe('migssh-ab');
    expect(b.iface).toBe('migssh-ba');
  });

  it("loop devices on A and B, nbdkit on A, nbdcopy from B, link counter: each in that host's ledger, all released", async () => {
    const runId = `dp-${process.pid}`;
    const ledger = new Ledger(runId);
    const ledgers = { a: await RemoteLedger.open(a, hosts.a.spec, runId), b: await RemoteLedger.open(b, hosts.b.spec, runId) };
    ledger.mirror(a.name, ledgers.a);
    ledger.mirror(b.name, ledgers.b);
    const scope = new ResourceScope(ledger);
    const size = 8 << 20;
    const file = join(a.dataDir, `migbench-${runId}-src.img`);
    const destFile = join(b.dataDir, `migbench-${runId}-dst.img`);
    let device = '';
    try {
      device = await createLoopDevice(scope, file, size, { host: a });
      expect(await loopBackingOn(a, device)).toBe(file);
      // A's ledger holds the file and the loop device, recorded before they existed.
      const open = parseRemoteLedger(ledgers.a.path, (await a.readFile(ledgers.a.path)).toString()).open;
      expect(open.map((e) => e.kind)).toEqual(['file', 'loop']);
      const tx0 = await txBytes(a);
      const workDir = join(state, runId);
      await a.run('mkdir', ['-p', a.workPath(workDir)]);
      const exp = await startNbdExport(scope, a, { plugin: ['file', `file=${device}`], latencyMs: 0, workDir, name: `dp-${process.pid}`, port: 10871 });
      await a.run('dd', ['if=/dev/urandom', `of=${device}`, 'bs=1M', 'count=8', 'oflag=direct']);
      const dest = await createLoopDevice(scope, destFile, size, { host: b });
      expect(await loopBackingOn(b, dest)).toBe(destFile);
      await b.run('nbdcopy', [exp.uri, dest]);
      const sum = async (h: RemoteSide, d: string): Promise<string> => (await h.run('md5sum', [d])).split(' ')[0]!;
      expect(await sum(b, dest)).toBe(await sum(a, device));
      // A sent the volume to B over the data link.
      expect((await txBytes(a)) - tx0).toBeGreaterThanOrEqual(size);
    } finally {
      await scope.close();
      await ledger.synced();
    }
    expect([...(await attachedLoopsOn(a)).values()]).not.toContain(file);
    expect([...(await attachedLoopsOn(b)).values()]).not.toContain(destFile);
    expect(await a.run('sh', ['-c', `ls ${file} ${destFile} 2>/dev/null; true`])).toBe('');
    for (const [side, l] of [[a, ledgers.a], [b, ledgers.b]] as const) {
      expect(parseRemoteLedger(l.path, (await side.readFile(l.path)).toString()).open).toEqual([]);
      await l.finished();
    }
    ledger.finished();
  }, 120_000);
});
