import { describe, expect, it } from 'vitest';
import { MissingToolError, MountBusyError, ToolError } from '../../src/host/errors.js';
import { LabHost, netnsArgv } from '../../src/host/lab-host.js';
import { localHost } from '../../src/host/local-host.js';
import { LabSide } from '../../src/lab/hosts.js';

describe('argv building', () => {
  it('a lab host enters only the network namespace, by its /run/netns handle', () => {
    expect(netnsArgv('mgbx1a', 'nbdcopy', ['--flush', 'a b'])).toEqual(['nsenter', ['--net=/run/netns/mgbx1a', '--', 'nbdcopy', '--flush', 'a b']]);
    expect(new LabHost('mgbx1b').argv('ip', ['-j', 'link'])).toEqual(['nsenter', ['--net=/run/netns/mgbx1b', '--', 'ip', '-j', 'link']]);
  });

  it('the root host runs the command as is', () => {
    expect(localHost.argv('losetup', ['--find', '--show', 'f'])).toEqual(['losetup', ['--find', '--show', 'f']]);
  });

  it("a lab side is a LabHost named after its namespace, keeping the link's description", () => {
    const h = new LabSide('A', 'mgbx1a', 'mgbx1a0', '10.213.0.1');
    expect(h).toBeInstanceOf(LabHost);
    expect([h.name, h.netns, h.label, h.iface, h.address]).toEqual(['mgbx1a', 'mgbx1a', 'A', 'mgbx1a0', '10.213.0.1']);
  });
});

describe('typed failures of the root host', () => {
  it('a program that does not exist is a MissingToolError', async () => {
    const err = await localHost.run('migbench-no-such-tool', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingToolError);
    expect((err as MissingToolError).tool).toBe('migbench-no-such-tool');
    expect((err as Error).cause).toBeDefined();
  });

  it('a failing program is a ToolError with its exit code, stderr and cause', async () => {
    const err = await localHost.run('sh', ['-c', 'echo nope >&2; exit 3']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect(err).not.toBeInstanceOf(MountBusyError);
    expect((err as ToolError).exitCode).toBe(3);
    expect((err as ToolError).stderr.trim()).toBe('nope');
    expect((err as Error).cause).toBeDefined();
  });

  it('returns stdout without the final newline', async () => {
    expect(await localHost.run('sh', ['-c', 'printf "a\\nb\\n"'])).toBe('a\nb');
  });
});
