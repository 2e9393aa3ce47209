/**
 * The PostgreSQL workload's schema and transaction mix (pure: SQL text only).
 *
 * One transaction, sent as one simple-query round trip:
 *
 *     BEGIN;
 *     INSERT INTO mb_events (client, seq, k, hot_a, hot_b, payload) 4 rows, k = 0..3;
 *     UPDATE mb_hot SET n = n + 1 WHERE id = hot_a;   -- the lower of the two first (no deadlocks)
 *     UPDATE mb_hot SET n = n + 1 WHERE id = hot_b;
 *     COMMIT;
 *
 * `(client, seq)` is unique: client number and its own sequence. Every transaction touches
 * two of {@link HOT_ROWS} hot rows (row locks every client contends for) and inserts four
 * ~200-byte rows into a table with a primary key and a secondary index (index pages split
 * and are logged). A successful answer means COMMIT returned with PostgreSQL's defaults
 * (fsync on, synchronous_commit on): the WAL record is on the volume.
 */

/** Hot rows every transaction updates two of. */
export const HOT_ROWS = 16;
/** Rows a transaction inserts. */
export const ROWS_PER_TX = 4;

/** The tables, created once at set-up (single-user mode), with amcheck for verification. */
export const SCHEMA_SQL = [
  'CREATE EXTENSION amcheck',
  'CREATE TABLE mb_events (client int NOT NULL, seq bigint NOT NULL, k smallint NOT NULL, hot_a int NOT NULL, hot_b int NOT NULL, payload text NOT NULL, PRIMARY KEY (client, seq, k))',
  'CREATE INDEX mb_events_hot ON mb_events (hot_a, hot_b)',
  'CREATE TABLE mb_hot (id int PRIMARY KEY, n bigint NOT NULL)',
  `INSERT INTO mb_hot SELECT g, 0 FROM generate_series(0, ${HOT_ROWS - 1}) g`,
];

/** The two hot rows transaction (`client`, `seq`) updates, lower first. */
export function hotRows(client: number, seq: number): [number, number] {
  const a = (client * 7 + seq) % HOT_ROWS;
  const b = (a + 1 + (seq % (HOT_ROWS - 1))) % HOT_ROWS;
  return a < b ? [a, b] : [b, a];
}

/** One transaction of the mix as one simple query (integers only: nothing to escape). */
export function transactionSql(client: number, seq: number): string {
  if (!Number.isSafeInteger(client) || !Number.isSafeInteger(seq)) throw new RangeError('client and seq must be integers');
  const [a, b] = hotRows(client, seq);
  return (
    'BEGIN;' +
    `INSERT INTO mb_events (client, seq, k, hot_a, hot_b, payload) SELECT ${client}, ${seq}, k, ${a}, ${b}, repeat(md5(${seq}::text || k::text), 6) FROM generate_series(0, ${ROWS_PER_TX - 1}) k;` +
    `UPDATE mb_hot SET n = n + 1 WHERE id = ${a};` +
    `UPDATE mb_hot SET n = n + 1 WHERE id = ${b};` +
    'COMMIT;'
  );
}

/** A transaction's id in the journal: client and sequence in one safe integer. */
export const txId = (client: number, seq: number): number => client * 2 ** 32 + seq;

/** Transactions present: one row per (client, seq) with how many of its rows are there. */
export const PRESENT_SQL = 'SELECT client, seq, count(*)::int AS rows FROM mb_events GROUP BY client, seq';

/**
 * Hot rows whose counter differs from the number of present transactions that name it:
 * a transaction's inserts and its updates are atomic, so after any crash they agree.
 */
export const COUNTER_MISMATCH_SQL = `SELECT count(*)::int AS bad FROM mb_hot h LEFT JOIN (
  SELECT hot, count(*) AS c FROM (SELECT hot_a AS hot FROM mb_events WHERE k = 0 UNION ALL SELECT hot_b FROM mb_events WHERE k = 0) x GROUP BY hot
) t ON t.hot = h.id WHERE h.n <> coalesce(t.c, 0)`;

/** amcheck over every B-tree index of the workload's tables, heap included (heapallindexed). */
export const AMCHECK_SQL = `SELECT c.relname, bt_index_check(i.indexrelid, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
  WHERE i.indrelid IN ('mb_events'::regclass, 'mb_hot'::regclass)`;
