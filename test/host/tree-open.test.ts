import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Host, HostProcess } from '../../src/host/host.js';
import { localHost } from '../../src/host/local-host.js';
import { processTreeHasOpen } from '../../src/host/tree-open.js';

/** A host that is not an ExecaHost (so the walk runs as the remote `sh`), running here. */
const shHost: Host = {
  name: 'sh-host',
  run: (cmd, args, opts) => localHost.run(cmd, args, opts),
  start: () => {
    throw new Error('unused');
  },
  readFile: (p) => localHost.readFile(p),
  writeFile: (p, d) => localHost.writeFile(p, d),
};

describe('processTreeHasOpen over a host shell', () => {
  it('finds a path a descendant holds open, not one nobody holds, and skips the root with descendantsOnly', async () => {
    // The parent shell holds nothing; its child `sleep` holds /etc/hostname on fd 3.
    const parent = spawn('sh', ['-c', 'sleep 30 3</etc/hostname; true'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const proc = { host: shHost, pid: -1, hostPid: Promise.resolve(parent.pid!) } as unknown as HostProcess;
      expect(await processTreeHasOpen(proc, '/etc/hostname', { descendantsOnly: true })).toBe(true);
      expect(await processTreeHasOpen(proc, '/etc/no-such-file')).toBe(false);
      // The root alone (a process with no children) holding nothing: not open.
      const self = spawn('sleep', ['30'], { stdio: 'ignore' });
      try {
        await new Promise((r) => setTimeout(r, 100));
        const lone = { host: shHost, pid: -1, hostPid: Promise.resolve(self.pid!) } as unknown as HostProcess;
        expect(await processTreeHasOpen(lone, '/etc/hostname')).toBe(false);
      } finally {
        self.kill('SIGKILL');
      }
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
