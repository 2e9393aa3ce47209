import pg from 'pg';
import { AMCHECK_SQL, COUNTER_MISMATCH_SQL, PRESENT_SQL, ROWS_PER_TX, txId } from './schema.js';

/** What the migrated database holds, checked against the clients' journal. */
export interface DbCheck {
  /** Committed (acknowledged) transactions absent from the database. */
  lostCommits: number;
  /** Up to 16 of them, for diagnosis. */
  lostSample: number[];
  /** Transactions present that the clients saw rolled back or never sent: must be 0. */
  phantoms: number;
  /** Present transactions missing some of their rows: must be 0 (atomicity). */
  partial: number;
  /** Hot rows whose counter disagrees with the transactions present: must be 0. */
  counterMismatches: number;
  /** amcheck's bt_index_check (heapallindexed) failure on the tables' indexes, if any. */
  amcheckError: string | undefined;
  /** Why the database never came up on B, when it did not: nothing could be checked. */
  notBooted?: string;
  /** All of the above hold: PostgreSQL's own check passes and the data is self-consistent. */
  integrityOk: boolean;
}

/**
 * Looks up every acknowledged commit in the database at `socketDir`:`port` (a server on
 * the destination's data directory, started for this), and checks its integrity: amcheck
 * on every index of the workload's tables, each present transaction complete, every hot
 * counter equal to the number of present transactions that updated it, and nothing
 * present that was not acknowledged or indeterminate (committed with the answer lost).
 */
export async function checkDatabase(socketDir: string, port: number, acked: readonly number[], indeterminate: ReadonlySet<number>): Promise<DbCheck> {
  const client = new pg.Client({ host: socketDir, port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    let amcheckError: string | undefined;
    try {
      await client.query(AMCHECK_SQL);
    } catch (err) {
      amcheckError = (err as Error).message;
    }
    const present = new Set<number>();
    let partial = 0;
    // Ids as text: bigint seq.
    for (const r of (await client.query<{ client: number; seq: string; rows: number }>(PRESENT_SQL)).rows) {
      present.add(txId(r.client, Number(r.seq)));
      if (r.rows !== ROWS_PER_TX) partial++;
    }
    const counterMismatches = (await client.query<{ bad: number }>(COUNTER_MISMATCH_SQL)).rows[0]!.bad;
    const c = { ...judge(present, acked, indeterminate), partial, counterMismatches, amcheckError };
    return { ...c, integrityOk: integrityOk(c) };
  } finally {
    await client.end();
  }
}

/** Lost and phantom transactions from what is present and what the clients saw (pure). */
export function judge(present: ReadonlySet<number>, acked: readonly number[], indeterminate: ReadonlySet<number>): Pick<DbCheck, 'lostCommits' | 'lostSample' | 'phantoms'> {
  const ackedSet = new Set(acked);
  const lostSample: number[] = [];
  let lostCommits = 0;
  for (const id of ackedSet) {
    if (!present.has(id)) {
      lostCommits++;
      if (lostSample.length < 16) lostSample.push(id);
    }
  }
  let phantoms = 0;
  for (const id of present) if (!ackedSet.has(id) && !indeterminate.has(id)) phantoms++;
  return { lostCommits, lostSample, phantoms };
}

/**
 * The verdict when the database never came up on B (pure): the destination shows none of
 * the acknowledged commits, so all are lost, and nothing of it passed a check.
 */
export function unbootedCheck(acked: readonly number[], bootError: string): DbCheck {
  const c = { lostCommits: new Set(acked).size, lostSample: acked.slice(0, 16), phantoms: 0, partial: 0, counterMismatches: 0, amcheckError: undefined, notBooted: bootError };
  return { ...c, integrityOk: integrityOk(c) };
}

/** Whether the checks of `c` pass (pure). */
export const integrityOk = (c: Omit<DbCheck, 'integrityOk'>): boolean => c.notBooted === undefined && c.amcheckError === undefined && c.partial === 0 && c.counterMismatches === 0 && c.phantoms === 0;
