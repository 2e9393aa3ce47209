import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testTempDir } from '../support/temp-dir.js';
import { joinCgroup, remoteCommand, shellQuote, sshArgv, sshOptions, startWrapper } from '../../src/host/ssh-argv.js';

const e = { target: 'root@10.0.0.1', port: 2222, identity: '/k/id', knownHosts: '/s/known_hosts', controlDir: '/s/ssh' };

describe('ssh argv', () => {
  it('never prompts, shares one connection, notices a dead host, keeps its own known_hosts', () => {
    const o = sshOptions(e).join(' ');
    for (const want of ['BatchMode=yes', 'ControlMaster=auto', 'ControlPath=/s/ssh/%C', 'ControlPersist=', 'ServerAliveInterval=', 'ServerAliveCountMax=', 'StrictHostKeyChecking=accept-new', 'UserKnownHostsFile=/s/known_hosts', '-p 2222', '-i /k/id']) {
      expect(o).toContain(want);
    }
    // ~/.ssh/config applies: no -F.
    expect(sshOptions(e)).not.toContain('-F');
    expect(sshOptions({ target: 'h', knownHosts: '/k', controlDir: '/c' }).join(' ')).not.toMatch(/-p |-i /);
  });

  it('closes stdin unless asked, and ends the options before the command', () => {
    const [file, argv] = sshArgv(e, 'true');
    expect(file).toBe('ssh');
    expect(argv.slice(-4)).toEqual(['-T', 'root@10.0.0.1', '--', 'true']);
    expect(argv).toContain('-n');
    expect(sshArgv(e, 'cat', { stdin: true })[1]).not.toContain('-n');
  });

  it('quotes every word so the remote shell sees the argv the caller gave', () => {
    const args = ['a b', "it's", '$HOME', '`x`', '', 'plain-1.0/x:y'];
    const line = remoteCommand('printf', ['%s\\n', ...args], { K: 'v w' });
    // The remote end is a POSIX shell: run the line through one here and compare.
    const out = execaSync('sh', ['-c', line.replace(/^env 'K=v w' /, '')]).stdout;
    expect(out.split('\n')).toEqual(args);
    expect(line.startsWith("env 'K=v w' printf")).toBe(true);
    expect(shellQuote('simple')).toBe('simple');
  });

  it('the start wrapper reports the PID of the process that then runs the command', () => {
    const r = execaSync('sh', ['-c', startWrapper('sh', ['-c', 'echo $$'])]);
    const reported = /migbench-remote-pid (\d+)/.exec(r.stderr)?.[1];
    expect(reported).toBe(r.stdout.trim());
  });

  it('with a CPU group, the wrapper joins it before the command runs: the same PID is in the group', () => {
    const procs = join(testTempDir('migbench-argv-'), 'cgroup.procs');
    const r = execaSync('sh', ['-c', startWrapper('sh', ['-c', 'echo $$'], {}, procs)]);
    expect(readFileSync(procs, 'utf8').trim()).toBe(r.stdout.trim());
    expect(/migbench-remote-pid (\d+)/.exec(r.stderr)?.[1]).toBe(r.stdout.trim());
    expect(joinCgroup(undefined)).toBe('');
    expect(joinCgroup("/sys/fs/cgroup/it's")).toBe("echo $$ > '/sys/fs/cgroup/it'\\''s' && ");
  });
});
