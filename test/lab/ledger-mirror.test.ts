import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupLeftovers } from '../../src/lab/cleanup.js';
import { Ledger, type LedgerEntry, type MirrorLedger } from '../../src/lab/ledger.js';
import { ResourceScope } from '../../src/lab/scope.js';

/** A host ledger kept in memory: what was appended, in order. */
function memoryMirror(fail = false): MirrorLedger & { lines: string[] } {
  const lines: string[] = [];
  let next = 1;
  return {
    lines,
    async intend(e: LedgerEntry) {
      await new Promise((r) => setTimeout(r, 20));
      if (fail) throw new Error('ssh: connection lost');
      lines.push(`create ${e.kind}`);
      return next++;
    },
    async released(id: number) {
      lines.push(`release ${id}`);
    },
  };
}

describe('Ledger.mirror (per-host ledgers)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mgb-mirror-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("puts a host's entries in its ledger before the resource is created, and their release after", async () => {
    const ledger = new Ledger('mirror-1', dir);
    const m = memoryMirror();
    ledger.mirror('a:root@h', m);
    const scope = new ResourceScope(ledger);
    const seen: string[] = [];
    await scope.acquire({ kind: 'file', path: '/x', host: 'a:root@h' }, async () => seen.push(...m.lines), async () => undefined);
    await scope.acquire({ kind: 'file', path: '/local' }, async () => undefined, async () => undefined);
    expect(seen).toEqual(['create file']);
    await scope.close();
    await ledger.synced();
    expect(m.lines).toEqual(['create file', 'release 1']);
  });

  it('refuses to create when the host ledger cannot be written', async () => {
    const ledger = new Ledger('mirror-2', dir);
    ledger.mirror('b:root@h', memoryMirror(true));
    const scope = new ResourceScope(ledger);
    let created = false;
    await expect(scope.acquire({ kind: 'dir', path: '/y', host: 'b:root@h' }, async () => (created = true), async () => undefined)).rejects.toThrow(/connection lost/);
    expect(created).toBe(false);
    await scope.close();
  });

  it("the controller's cleanup leaves entries of real hosts alone", async () => {
    const file = join(dir, 'on-host.img');
    writeFileSync(file, '');
    const local = join(dir, 'local.img');
    writeFileSync(local, '');
    const report = await cleanupLeftovers([
      { path: join(dir, 'gone.jsonl'), runId: '', ownerPid: 0, ownerStartTime: 0, open: [{ kind: 'file', path: file, host: 'a:root@h' }, { kind: 'file', path: local }] },
    ]);
    expect(existsSync(file)).toBe(true);
    expect(existsSync(local)).toBe(false);
    expect(report.failed).toEqual([]);
  });
});
