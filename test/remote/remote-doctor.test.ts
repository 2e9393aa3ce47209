import { describe, expect, it } from 'vitest';
import { REMOTE_TOOLS, hostChecks, parseFacts } from '../../src/remote/remote-doctor.js';
import { SshHost } from '../../src/host/ssh-host.js';
import { inventoryFromUrls } from '../../src/remote/inventory.js';

const runtime = { node: 'v20.1.0', migbench: '0.1.0', root: '/opt/migbench' };
const spec = inventoryFromUrls('ssh://root@a', 'ssh://root@b').a;
const a = { spec, host: new SshHost('a', { target: spec.target, knownHosts: '/nonexistent', controlDir: '/nonexistent' }) };
const good = [
  'uid\t0', 'loop\tyes', 'fuse\tyes', 'nbd\tyes', 'dm\tclone,era,linear,', 'dm_modules\t',
  ...REMOTE_TOOLS.map((t) => `tool:${t}\t/usr/bin/${t}`),
  'v:nbdkit\tnbdkit 1.32', 'node\tv20.1.0', 'migbench\t0.1.0', 'dist\tyes', 'native\tok', `free\t${8 * 1024 ** 3}`, 'free_at\t/var/tmp',
].join('\n');

describe('doctor --hosts checks', () => {
  it('passes a host that has everything', () => {
    const checks = hostChecks(a, parseFacts(good), runtime);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('names what to install and what does not match the controller', () => {
    const facts = parseFacts(good.replace('tool:nbdcopy\t/usr/bin/nbdcopy', 'tool:nbdcopy\t').replace('node\tv20.1.0', 'node\tv18.0.0').replace('uid\t0', 'uid\t1000').replace(`free\t${8 * 1024 ** 3}`, 'free\t1000'));
    const failed = hostChecks(a, facts, runtime).filter((c) => !c.ok && !c.optional);
    expect(failed.map((c) => c.name)).toEqual(['a: root', 'a: nbdcopy', 'a: node', 'a: free space']);
    expect(failed.find((c) => c.name === 'a: nbdcopy')!.detail).toContain('apt-get install libnbd-bin');
    expect(failed.find((c) => c.name === 'a: node')!.detail).toContain('v18.0.0');
  });

  it('a missing dm-clone or NBD is optional (the qemu backend runs without them)', () => {
    const checks = hostChecks(a, parseFacts(good.replace('dm\tclone,era,linear,', 'dm\tlinear,').replace('nbd\tyes', 'nbd\tno')), runtime);
    expect(checks.filter((c) => !c.ok).every((c) => c.optional)).toBe(true);
    expect(checks.filter((c) => !c.ok)).toHaveLength(2);
  });

  it('a native copier that is missing or cannot load is named, with the way around it', () => {
    const facts = parseFacts(good.replace('native\tok', 'native\t/opt/migbench/dist/native/migbench-round-copier: liburing.so.2 ; ok'));
    const failed = hostChecks(a, facts, runtime).filter((c) => !c.ok);
    expect(failed.map((c) => c.name)).toEqual(['a: native copier']);
    expect(failed[0]!.detail).toMatch(/liburing\.so\.2.*liburing2.*MIGBENCH_COPIER=node/);
  });
});
