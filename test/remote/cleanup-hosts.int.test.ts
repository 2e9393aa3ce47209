import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { RemoteHost } from '../../src/remote/remote-hosts.js';
import { remoteLedgerDir } from '../../src/remote/remote-ledger.js';
import { cleanupHosts } from '../../src/remote/remote-cleanup.js';
import { freshStateDir, migbench, ROOT } from '../support/cli.js';
import { useSshTestHosts } from '../support/ssh-test-hosts.js';

const DIST = join(ROOT, 'dist', 'src');

/**
 * A controller stand-in: opens a ledger on each host, creates a backing file and a loop
 * device over it there (each recorded first), starts a marked remote process and a
 * detached marked daemon on each, prints "ready" and waits to be killed.
 */
const LEAVER = `
const { readFileSync } = await import('node:fs');
const imp = (m) => import(${JSON.stringify(DIST)} + m);
const { parseInventory } = await imp('/remote/inventory.js');
const { remoteHosts } = await imp('/remote/remote-hosts.js');
const { RemoteLedger } = await imp('/remote/remote-ledger.js');
const { Ledger } = await imp('/lab/ledger.js');
const { ResourceScope } = await imp('/lab/scope.js');
const { markChildProcesses } = await imp('/lab/run-marker.js');
const [path, runId] = process.argv.slice(1);
markChildProcesses(runId);
const hosts = remoteHosts(parseInventory(readFileSync(path, 'utf8'), path));
const scope = new ResourceScope(new Ledger(runId));
for (const h of [hosts.a, hosts.b]) {
  const l = await RemoteLedger.open(h.host, h.spec, runId);
  const file = h.spec.dataDir + '/migbench-' + runId + '.img';
  await l.intend({ kind: 'file', path: file });
  await h.host.run('truncate', ['-s', '1M', file]);
  await l.intend({ kind: 'loop', backingFile: file });
  await h.host.run('losetup', ['--find', file]);
  await h.host.start(scope, 'sleep', ['600']).remotePid;
  // A daemon that detached from its session and ignores hangups: only its run mark finds it.
  await h.host.run('sh', ['-c', 'setsid nohup sleep 601 </dev/null >/dev/null 2>&1 &']);
}
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);
`;

const state = freshStateDir();
const env = useSshTestHosts(state);

/** What run `runId` holds on a host: its marked processes, loop devices over its files, its files. */
async function leftOn(h: RemoteHost, runId: string): Promise<string> {
  const file = `${h.spec.dataDir}/migbench-${runId}.img`;
  return h.host.sh(
    `for e in /proc/[0-9]*/environ; do tr '\\0' '\\n' <"$e" 2>/dev/null | grep -qxF MIGBENCH_RUN_ID=${runId} && echo "process $e"; done
     losetup -n -O NAME -j ${file} | sed 's/^/loop /'
     [ -e ${file} ] && echo file ${file}
     ls ${remoteLedgerDir(h.spec)} 2>/dev/null | sed 's/^/ledger /'
     true`,
  );
}

describe('migbench cleanup --hosts', () => {
  it('after a SIGKILL mid-run, releases on each host what the run left there, and nothing else', async () => {
    const runId = `sshcleanup-${process.pid}`;
    // Not migbench's: a file beside the run's in the data directory must survive.
    const bystander = join(env.hosts.a.spec.dataDir, 'not-migbench.img');
    writeFileSync(bystander, 'keep');
    const leaver = execa(process.execPath, ['--input-type=module', '-e', LEAVER, env.inventory, runId], { env: { MIGBENCH_STATE_DIR: state }, reject: false });
    await new Promise<void>((resolve, reject) => {
      leaver.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      void leaver.then((r) => reject(new Error(`stand-in exited early: ${r.stderr}`)));
    });
    for (const h of [env.hosts.a, env.hosts.b]) {
      const before = await leftOn(h, runId);
      expect(before).toMatch(/^process /m);
      expect(before).toMatch(/^loop \/dev\/loop\d+/m);
      expect(before).toMatch(/^file /m);
      expect(before).toMatch(/^ledger /m);
    }
    leaver.kill('SIGKILL');
    await leaver;

    // The hosts' part alone first: both "hosts" share this kernel, so this machine's own
    // cleanup (which scans the local /proc for the run mark) would also kill their processes.
    const remote = await cleanupHosts([env.hosts.a, env.hosts.b]);
    expect(remote.failed).toEqual([]);
    for (const h of [env.hosts.a, env.hosts.b]) expect(await leftOn(h, runId)).toBe('');
    // Then the command, for the controller's side (the stand-in's ssh clients and its ledger).
    const r = await migbench(['cleanup', '--hosts', env.inventory], state, 120_000);
    expect(r.stdout).not.toContain('FAILED');
    expect(r.exitCode).toBe(0);
    expect(readdirSync(state).filter((n) => n.endsWith('.jsonl'))).toEqual([]);
    expect(existsSync(bystander)).toBe(true);
  }, 120_000);
});
