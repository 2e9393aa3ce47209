import { needsScript, parseNeeds } from '../../src/remote/host-needs.js';
import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { ExecaHost } from '../../src/host/execa-host.js';
import { dmDeviceName } from '../../src/lab/device-mapper.js';
import { remoteKernelProblem, REMOTE_DM_CLONE_NEEDS, REMOTE_DM_ERA_NEEDS } from '../../src/remote/remote-kernel.js';
import type { RemoteHost } from '../../src/remote/remote-hosts.js';
import { remoteScenarioProblem } from '../../src/remote/remote-run.js';
import { DEFAULTS } from '../../src/scenario/options.js';
import type { Scenario } from '../../src/scenario/scenario.js';

/** A host whose every script answers `out`; records the scripts it was sent. */
function fakeHost(role: 'a' | 'b', out: string, asked: string[]): RemoteHost {
  return { spec: { role, target: `root@${role}` }, host: { sh: async (script: string) => (asked.push(`${role}: ${script}`), out) } } as unknown as RemoteHost;
}

describe('dm-clone and dm-era on real hosts', () => {
  it('are no longer refused by the scenario check (the hosts are asked instead)', () => {
    const s = { ...DEFAULTS, strategies: ['async-clone', 'precopy'], workload: 'stamped', volumes: 1, backend: 'dm-clone', tracking: 'dm-era' } as unknown as Scenario;
    expect(remoteScenarioProblem(s)).toBeUndefined();
  });

  it('lists what a host lacks with what brings it', () => {
    const out = execaSync('sh', ['-c', needsScript([{ what: 'no-such-tool-xyz', test: 'command -v no-such-tool-xyz', fix: 'apt-get install xyz' }, { what: 'sh', test: 'command -v sh', fix: 'dash' }])]).stdout;
    expect(parseNeeds(out)).toEqual(['no-such-tool-xyz (apt-get install xyz)']);
  });

  it('asks B for dm-clone and the NBD client, A for dm-era, and names the host that lacks them', async () => {
    const asked: string[] = [];
    const hosts = { a: fakeHost('a', 'era_invalidate\tapt-get install thin-provisioning-tools\n', asked), b: fakeHost('b', '', asked) };
    const why = await remoteKernelProblem(hosts, { strategies: ['async-clone', 'precopy'], backend: 'dm-clone', tracking: 'dm-era' });
    expect(why).toBe('on --hosts, --tracking dm-era: host a (root@a) lacks era_invalidate (apt-get install thin-provisioning-tools)');
    expect(asked.map((s) => s.slice(0, 2))).toEqual(['b:', 'a:']);
    expect(asked[0]).toContain('nbd-client');
    expect(asked[1]).toContain('era_invalidate');
  });

  it('asks nothing when neither kernel piece is used', async () => {
    const asked: string[] = [];
    const hosts = { a: fakeHost('a', 'x\ty\n', asked), b: fakeHost('b', 'x\ty\n', asked) };
    expect(await remoteKernelProblem(hosts, { strategies: ['async-clone', 'kill-copy-boot'], backend: 'qemu', tracking: 'dm-era' })).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('need device-mapper and its target on each', () => {
    for (const needs of [REMOTE_DM_CLONE_NEEDS, REMOTE_DM_ERA_NEEDS]) expect(needs.map((n) => n.what)).toEqual(expect.arrayContaining(['dmsetup', 'device-mapper']));
    expect(REMOTE_DM_CLONE_NEEDS.map((n) => n.what)).toContain('the clone target');
    expect(REMOTE_DM_ERA_NEEDS.map((n) => n.what)).toContain('the era target');
  });

  it('name their devices by run on a real host (its name is the same for every run), by the namespace in the lab', () => {
    const remote = { name: 'b:root@10.214.2.2' } as unknown as ExecaHost;
    expect(dmDeviceName(remote, '/run/migbench/20261201-050000-abc123/async-clone-1', 'clone')).toBe('migbench-20261201-050000-abc123-async-clone-1-clone');
    const lab = Object.create(ExecaHost.prototype) as ExecaHost;
    Object.defineProperty(lab, 'name', { value: 'mgb12-b' });
    expect(dmDeviceName(lab, '/run/migbench/r/precopy-2', 'era')).toBe('mgb12-b-precopy-2-era');
  });
});
