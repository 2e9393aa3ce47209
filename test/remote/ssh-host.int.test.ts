import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissingToolError, ToolError } from '../../src/host/errors.js';
import { Ledger } from '../../src/lab/ledger.js';
import { ResourceScope } from '../../src/lab/scope.js';
import { RUN_ID_ENV } from '../../src/lab/run-marker.js';
import { measureClock } from '../../src/remote/clock-probe.js';
import { parseInventory } from '../../src/remote/inventory.js';
import { closeConnections, remoteHosts, type RemoteHost } from '../../src/remote/remote-hosts.js';
import { freshStateDir } from '../support/cli.js';
import { sshTestHostsDown, sshTestHostsUp } from '../support/ssh-test-hosts.js';

let dir = '';
let a: RemoteHost;
let b: RemoteHost;
const state = freshStateDir();

beforeAll(async () => {
  process.env.MIGBENCH_STATE_DIR = state;
  const up = await sshTestHostsUp();
  dir = up.dir;
  ({ a, b } = remoteHosts(parseInventory(readFileSync(up.inventory, 'utf8'), up.inventory)));
}, 60_000);

afterAll(async () => {
  if (a) await closeConnections([a, b]);
  if (dir) await sshTestHostsDown(dir);
});

describe('SshHost against the local SSH test hosts', () => {
  it('runs commands on the host it names (its own network namespace)', async () => {
    expect(await a.host.run('ip', ['-br', 'addr', 'show', 'dev', 'migssh-ab'])).toContain('10.214.0.1');
    expect(await b.host.run('ip', ['-br', 'addr', 'show', 'dev', 'migssh-ba'])).toContain('10.214.0.2');
    expect(await a.host.run('printf', ['%s|', 'a b', "it's"])).toBe("a b|it's|");
    expect(await a.host.run('cat', [], { input: 'from stdin' })).toBe('from stdin');
    expect(await a.host.run('sh', ['-c', 'echo $X'], { env: { X: 'y z' } })).toBe('y z');
  });

  it('fails typed: a missing program, a failing one', async () => {
    const missing = await a.host.run('migbench-no-such-tool', []).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MissingToolError);
    expect((missing as MissingToolError).tool).toBe('migbench-no-such-tool');
    const failed = await a.host.run('sh', ['-c', 'echo boom >&2; exit 3']).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ToolError);
    expect((failed as ToolError).exitCode).toBe(3);
    expect((failed as Error).message).toContain('boom');
  });

  it('writes and reads files byte for byte', async () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) & 0xff);
    const path = `${a.spec.dataDir}/roundtrip.bin`;
    await a.host.writeFile(path, bytes);
    expect(Buffer.compare(await a.host.readFile(path), Buffer.from(bytes))).toBe(0);
    const err = await a.host.readFile(`${a.spec.dataDir}/absent`).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('start() marks the remote process with the run id, and stop() ends it on the host, not only the local ssh', async () => {
    process.env[RUN_ID_ENV] = 'sshhost-int-test';
    const scope = new ResourceScope(new Ledger('sshhost-int-test', state));
    try {
      const p = a.host.start(scope, 'sleep', ['300']);
      const rpid = await p.remotePid;
      expect(rpid).toBeGreaterThan(0);
      const environ = (await a.host.readFile(`/proc/${rpid}/environ`)).toString('latin1');
      expect(environ.split('\0')).toContain(`${RUN_ID_ENV}=sshhost-int-test`);
      expect((await a.host.readFile(`/proc/${rpid}/comm`)).toString().trim()).toBe('sleep');
      await p.stop();
      expect(p.hasExited()).toBe(true);
      await expect(a.host.run('kill', ['-0', String(rpid)])).rejects.toBeInstanceOf(ToolError);
    } finally {
      delete process.env[RUN_ID_ENV];
      await scope.close();
    }
  }, 30_000);

  it('measures each host clock offset; both share this kernel, so the true offset 0 is within the bound', async () => {
    const scope = new ResourceScope(new Ledger('sshhost-int-clock', state));
    try {
      for (const h of [a, b]) {
        const c = await measureClock(scope, h.host);
        expect(c.samples).toBeGreaterThan(8);
        expect(Math.abs(c.offsetNs)).toBeLessThanOrEqual(c.uncertaintyNs);
        expect(c.uncertaintyNs).toBeLessThan(50e6);
      }
    } finally {
      await scope.close();
    }
  }, 30_000);
});
