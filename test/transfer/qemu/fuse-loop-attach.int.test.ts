import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localHost } from '../../../src/host/local-host.js';
import { waitForPidfile } from '../../../src/host/pidfile.js';
import { Ledger } from '../../../src/lab/ledger.js';
import { ResourceScope } from '../../../src/lab/scope.js';
import { attachNbdAsLoop } from '../../../src/transfer/qemu/qsd.js';
import { migbenchLeftovers } from '../../support/leftovers.js';

const SIZE = 64 * 2 ** 20;

/**
 * The loop device over an nbdfuse file is attached only once nbdfuse has mounted the export,
 * even when a crashed nbdfuse left its pidfile behind (the dest-crash reassembly reuses the
 * clone's paths): it must have the export's size, never the placeholder file's 0 bytes.
 */
describe('attachNbdAsLoop', () => {
  it('waits for the new nbdfuse, not a pidfile a crashed one left', async () => {
    const state = mkdtempSync(join(tmpdir(), 'migbench-fuse-loop-'));
    const ledger = new Ledger(`fuse-loop-${process.pid}`, state);
    const scope = new ResourceScope(ledger);
    try {
      const sock = join(state, 'export.sock');
      const nbdkitPid = join(state, 'nbdkit.pid');
      const server = localHost.start(scope, 'nbdkit', ['--foreground', '--exit-with-parent', '-U', sock, '-P', nbdkitPid, 'memory', `size=${SIZE}`]);
      await waitForPidfile(server, nbdkitPid, 'nbdkit to listen');
      const fuseFile = join(state, 'volume.raw');
      writeFileSync(`${fuseFile}.pid`, '424242\n'); // what a SIGKILLed nbdfuse leaves
      const loop = await attachNbdAsLoop(scope, `nbd+unix:///?socket=${sock}`, fuseFile);
      expect(Number((await localHost.run('blockdev', ['--getsize64', loop])).trim())).toBe(SIZE);
    } finally {
      await scope.close();
    }
    expect(await migbenchLeftovers()).toEqual([]);
    ledger.finished(); // removed only if everything it named was released
    expect(readdirSync(state).filter((n) => n.endsWith('.jsonl'))).toEqual([]);
  }, 60_000);
});
