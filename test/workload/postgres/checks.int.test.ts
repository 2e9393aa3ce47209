import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localHost } from '../../../src/host/local-host.js';
import { Ledger } from '../../../src/lab/ledger.js';
import { ResourceScope } from '../../../src/lab/scope.js';
import { initCluster, PgServer } from '../../../src/workload/postgres/server.js';
import { transactionSql, txId } from '../../../src/workload/postgres/schema.js';
import { checkDatabase } from '../../../src/workload/postgres/verify.js';

/**
 * The verification's checks on a real cluster (no lab): they pass on what the transaction
 * mix wrote, and each fails when the fault it judges is injected.
 */
describe('the PostgreSQL workload checks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'migbench-pgcheck-'));
  chmodSync(dir, 0o755);
  const socketDir = join(dir, 'sock');
  const port = 5999;
  let scope: ResourceScope;
  let server: PgServer;
  let dataDir: string;
  const signal = new AbortController().signal;
  const sql = async (q: string): Promise<pg.QueryResult> => {
    const c = new pg.Client({ host: socketDir, port, user: 'postgres', database: 'postgres' });
    await c.connect();
    try {
      return await c.query(q);
    } finally {
      await c.end();
    }
  };
  const start = async (): Promise<void> => {
    server = PgServer.start(scope, localHost, { dataDir, address: '', port, socketDir, logFile: join(dir, 'log') });
    await server.waitAccepting(signal);
  };

  beforeAll(async () => {
    scope = new ResourceScope(new Ledger(`pgcheck-${process.pid}`, dir));
    dataDir = await initCluster(dir);
    await localHost.run('install', ['-d', '-o', 'postgres', socketDir]);
    await start();
    for (let seq = 0; seq < 20; seq++) await sql(transactionSql(1, seq));
  }, 60_000);

  afterAll(async () => {
    await scope.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const acked = Array.from({ length: 20 }, (_, seq) => txId(1, seq));

  it('pass on what the transactions wrote, with no commit lost', async () => {
    const c = await checkDatabase(socketDir, port, acked, new Set());
    expect(c).toMatchObject({ lostCommits: 0, phantoms: 0, partial: 0, counterMismatches: 0, amcheckError: undefined, integrityOk: true });
  });

  it('count an acknowledged commit that is missing as lost, and a present one never acknowledged as a phantom unless indeterminate', async () => {
    const c = await checkDatabase(socketDir, port, [...acked.slice(1), txId(2, 0)], new Set());
    expect(c).toMatchObject({ lostCommits: 1, lostSample: [txId(2, 0)], phantoms: 1, integrityOk: false });
    expect((await checkDatabase(socketDir, port, acked.slice(1), new Set([acked[0]!]))).integrityOk).toBe(true);
  });

  it('catch a hot counter that disagrees with the transactions present, and a partial transaction', async () => {
    await sql('UPDATE mb_hot SET n = n + 1 WHERE id = 3');
    expect(await checkDatabase(socketDir, port, acked, new Set())).toMatchObject({ counterMismatches: 1, integrityOk: false });
    await sql('UPDATE mb_hot SET n = n - 1 WHERE id = 3');
    await sql('DELETE FROM mb_events WHERE client = 1 AND seq = 5 AND k = 2');
    expect(await checkDatabase(socketDir, port, acked, new Set())).toMatchObject({ partial: 1, counterMismatches: 0, integrityOk: false });
  });

  it('catch a corrupted index with amcheck', async () => {
    const path = (await sql("SELECT pg_relation_filepath('mb_events_hot') AS p")).rows[0].p as string;
    await server.stop();
    // Scribble over the index tuples of page 1 (page 0 is the metapage; a page's tuples
    // sit at its end, before the 16-byte special space).
    const fh = await open(join(dataDir, path), 'r+');
    await fh.write(Buffer.alloc(1024, 0x5a), 0, 1024, 2 * 8192 - 16 - 1024);
    await fh.close();
    await start();
    const c = await checkDatabase(socketDir, port, acked.filter((id) => id !== txId(1, 5)), new Set([txId(1, 5)]));
    expect(c.amcheckError).toBeDefined();
    expect(c.integrityOk).toBe(false);
  });
});
