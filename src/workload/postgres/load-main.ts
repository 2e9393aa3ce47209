/**
 * The client side of the PostgreSQL workload, run in B's network namespace: the TCP front
 * door (follows the server across the migration) and `clients` connections through it,
 * each running the transaction mix of schema.ts one at a time — back to back (closed
 * loop) or, with `tps`, at scheduled instants (open loop: a transaction due while every
 * client is busy starts late, as soon as one is free). Every answer is reported as it
 * arrives (load-config.ts); a failed connection is replaced, and a new connection that
 * the server turns away (still starting up: crash recovery) is tried again every 10 ms
 * without counting as a failed transaction. When the door switches, a client still
 * connected to the old server moves to the new one after its current transaction.
 */
import pg from 'pg';
import { encodeRecord, readLines } from '../../host/lines.js';
import { decodeDbLoadCommand, type DbLoadConfig, type DbLoadEvent } from './load-config.js';
import { transactionSql, txId } from './schema.js';
import { TcpFrontDoor } from './tcp-front-door.js';

const now = (): number => Number(process.hrtime.bigint());
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let pending = '';
function emit(event: DbLoadEvent): void {
  if (!pending) setImmediate(flush);
  pending += encodeRecord(event);
}
function flush(): void {
  const out = pending;
  pending = '';
  if (out) process.stdout.write(out);
}

/** A server error: the server answered, so the transaction was rolled back (not indeterminate). */
const answered = (err: unknown): boolean => typeof (err as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((err as { code: string }).code);

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '') as DbLoadConfig;
  const door = new TcpFrontDoor(cfg.target);
  const port = await door.listen();
  let stopping = false;
  /** The epoch of the server the door sends new connections to. */
  let targetEpoch = cfg.epochs[cfg.target.host];
  const t0 = now();
  let ticket = 0;
  /** Waits for this client's next transaction's scheduled instant (open loop), or not at all. */
  const nextSlot = async (): Promise<void> => {
    if (cfg.tps === undefined) return;
    const due = t0 + (ticket++ * 1e9) / cfg.tps;
    const wait = (due - now()) / 1e6;
    if (wait > 0) await pause(wait);
  };

  const connect = async (): Promise<{ client: pg.Client; epoch: number }> => {
    for (;;) {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', query_timeout: cfg.timeoutS * 1000, connectionTimeoutMillis: cfg.timeoutS * 1000 });
      client.on('error', () => undefined); // a dropped idle connection: the next query fails and replaces it
      try {
        await client.connect();
        const r = await client.query<{ addr: string }>('SELECT host(inet_server_addr()) AS addr');
        const epoch = cfg.epochs[r.rows[0]!.addr];
        if (epoch === undefined) throw new Error(`connected to an unknown server ${r.rows[0]!.addr}`);
        return { client, epoch };
      } catch (err) {
        await client.end().catch(() => undefined);
        if (stopping) throw err;
        await pause(10);
      }
    }
  };

  const runClient = async (c: number): Promise<void> => {
    let seq = 0;
    let conn: { client: pg.Client; epoch: number } | undefined;
    while (!stopping) {
      if (conn && targetEpoch !== undefined && conn.epoch !== targetEpoch) {
        // The door switched while this client's server still answers it (A lives on when B
        // boots first): between transactions, move over, as a pooler's RECONNECT does.
        const old = conn.client;
        conn = undefined;
        await old.end().catch(() => undefined);
      }
      try {
        conn ??= await connect();
      } catch {
        return; // stopping
      }
      await nextSlot();
      if (stopping) break;
      const id = txId(c, seq);
      const sql = transactionSql(c, seq++);
      try {
        await conn.client.query(sql);
        emit({ kind: 'commit', id, epoch: conn.epoch, tNs: now() });
      } catch (err) {
        const t = now();
        if (/timeout/i.test((err as Error).message) && !answered(err)) emit({ kind: 'timeout', id, tNs: t });
        else emit({ kind: 'fail', id, tNs: t, indeterminate: answered(err) ? 0 : 1 });
        if (!answered(err) || (err as { code: string }).code.startsWith('57')) {
          // Connection lost or the server shutting down: replace the connection.
          const old = conn.client;
          conn = undefined;
          await old.end().catch(() => undefined);
        } else {
          await conn.client.query('ROLLBACK').catch(() => undefined);
        }
      }
    }
    await conn?.client.end().catch(() => undefined);
  };

  const clients = Array.from({ length: cfg.clients }, (_, c) => runClient(c));
  emit({ kind: 'ready' });
  for await (const line of readLines(process.stdin)) {
    const command = decodeDbLoadCommand(JSON.parse(line));
    if (command.kind === 'stop') break;
    door.switchTo(command.target);
    targetEpoch = cfg.epochs[command.target.host];
  }
  stopping = true;
  await Promise.all(clients);
  await door.close();
  emit({ kind: 'done' });
  flush();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`database load: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(3);
  },
);
