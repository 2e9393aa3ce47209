import { createServer, connect, type Server, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { decodeDbLoadEvent } from '../../../src/workload/postgres/load-config.js';
import { HOT_ROWS, hotRows, transactionSql, txId } from '../../../src/workload/postgres/schema.js';
import { readyTimeOfLog } from '../../../src/workload/postgres/server.js';
import { TcpFrontDoor } from '../../../src/workload/postgres/tcp-front-door.js';
import { transactionsPerSecond } from '../../../src/workload/postgres/tps.js';
import { integrityOk, judge } from '../../../src/workload/postgres/verify.js';
import { dbColumns } from '../../../src/results/db-cells.js';

describe('the PostgreSQL transaction mix', () => {
  it('updates two distinct hot rows, lower first, and keys transactions uniquely', () => {
    for (let c = 0; c < 8; c++) {
      for (let s = 0; s < 100; s++) {
        const [a, b] = hotRows(c, s);
        expect(a).toBeLessThan(b);
        expect(b).toBeLessThan(HOT_ROWS);
      }
    }
    expect(txId(1, 0)).not.toBe(txId(0, 1));
    expect(transactionSql(3, 9)).toMatch(/^BEGIN;INSERT .* SELECT 3, 9, k, .*UPDATE.*UPDATE.*COMMIT;$/);
    expect(() => transactionSql(1.5, 0)).toThrow(RangeError);
  });
});

describe('the PostgreSQL verification, pure parts', () => {
  it('counts lost commits and phantoms; indeterminate transactions may be present', () => {
    expect(judge(new Set([1, 2, 4]), [1, 2, 3], new Set([4]))).toEqual({ lostCommits: 1, lostSample: [3], phantoms: 0 });
    expect(judge(new Set([1, 2, 4]), [1, 2], new Set())).toMatchObject({ lostCommits: 0, phantoms: 1 });
    const ok = { lostCommits: 5, lostSample: [], phantoms: 0, partial: 0, counterMismatches: 0, amcheckError: undefined };
    // Lost commits are measured, not an integrity failure: the data B has can be consistent.
    expect(integrityOk(ok)).toBe(true);
    expect(integrityOk({ ...ok, amcheckError: 'bad' })).toBe(false);
    expect(integrityOk({ ...ok, counterMismatches: 1 })).toBe(false);
  });

  it('reads the ready time from the server log (UTC, ms)', () => {
    const log = '2026-11-30 16:36:26.434 UTC [9896] LOG:  redo done at 0/865E88\n2026-11-30 16:36:26.690 UTC [9851] LOG:  database system is ready to accept connections\n';
    expect(readyTimeOfLog(log)).toBe(Date.UTC(2026, 10, 30, 16, 36, 26, 690));
    expect(readyTimeOfLog('nothing')).toBeUndefined();
  });

  it('decodes load events and refuses garbage', () => {
    expect(decodeDbLoadEvent({ kind: 'commit', id: 1, epoch: 2, tNs: 3 })).toEqual({ kind: 'commit', id: 1, epoch: 2, tNs: 3 });
    expect(() => decodeDbLoadEvent({ kind: 'commit', id: 'x', epoch: 2, tNs: 3 })).toThrow(TypeError);
    expect(() => decodeDbLoadEvent({ kind: 'nope' })).toThrow(TypeError);
  });

  it('computes TPS per phase and fills the row cells', () => {
    const s = 1e9;
    const t = transactionsPerSecond([0.5 * s, 1 * s, 1.5 * s, 2.5 * s, 3.5 * s, 3.6 * s], { startNs: 2 * s, migrationEndNs: 3 * s, endNs: 4 * s });
    // Baseline: 3 commits from the first (0.5 s) to the start (2 s).
    expect(t).toEqual({ tpsBaseline: 2, tpsMigration: 1, tpsAfter: 2 });
    const cells = dbColumns({ lostCommits: 0, indeterminate: 0, recoveryMs: 12.3456, recoveryLogMs: 11, integrityOk: true, integrityDetail: '', ...t });
    expect(cells).toMatchObject({ lost_commits: 0, recovery_ms: 12.346, integrity_ok: 'true', tps_baseline: 2, lost_requests: '' });
  });
});

const listen = (server: Server): Promise<number> => new Promise((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
const echo = (tag: string): Server => createServer((s) => s.on('data', (d) => s.write(`${tag}:${d.toString()}`)));
const ask = (port: number, text: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.write(text));
    s.once('data', (d) => (resolve(d.toString()), s.destroy()));
    s.once('error', reject);
  });

describe('the TCP front door', () => {
  it('holds a connection while the target refuses, and sends new connections to the target it was switched to', async () => {
    // A port nothing listens on yet: reserve one, close it, listen there later.
    const probe = createServer();
    const portA = await listen(probe);
    await new Promise((r) => probe.close(r));
    const door = new TcpFrontDoor({ host: '127.0.0.1', port: portA }, 5);
    const doorPort = await door.listen();
    const pending = ask(doorPort, 'x');
    await new Promise((r) => setTimeout(r, 50));
    const a = echo('A');
    a.listen(portA, '127.0.0.1');
    expect(await pending).toBe('A:x');
    const b = echo('B');
    door.switchTo({ host: '127.0.0.1', port: await listen(b) });
    expect(await ask(doorPort, 'y')).toBe('B:y');
    await door.close();
    a.close();
    b.close();
  });
});
