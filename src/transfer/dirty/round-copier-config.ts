/** What a round copier process is told on its command line (JSON in argv[2]). */
export interface RoundCopierConfig {
  /** NBD server on A (reached over the link from B's namespace). */
  host: string;
  port: number;
  exportName: string;
  /** B's destination block device. */
  device: string;
  /** Parallel NBD connections. */
  connections: number;
  /** Requests in flight per connection. */
  requestsPerConnection: number;
  /** Largest single read, bytes. */
  requestBytes: number;
  /**
   * A's delta server (delta-server-main.ts): when given, each batch is one request to it
   * and its bytes stream back over one connection; the NBD fields are then unused.
   */
  delta?: { host: string; port: number };
}

/**
 * One batch to copy, an NDJSON record on the copier's stdin: `[offset, length]` pairs.
 * With `warm`, the batch is a warm-up: the extents are fetched from A's delta server and
 * written nowhere (B's device is never touched, so no older bytes can land on newer ones).
 */
export interface RoundCopierBatch {
  extents: [number, number][];
  warm?: boolean;
}

/**
 * The copier's answer to a batch, an NDJSON record on its stdout: `ms` the whole batch,
 * `copyMs` its reads and writes, `flushMs` the fdatasync that makes them durable on B.
 */
export type RoundCopierReply = { ok: true; bytes: number; ms: number; copyMs: number; flushMs: number } | { ok: false; error: string };

/** The copier entry point, relative to the compiled package. */
export const ROUND_COPIER_ENTRY = 'dist/src/transfer/dirty/round-copier-main.js';

/** Checks one parsed reply record (the parent's side of the wire). */
export function decodeRoundCopierReply(v: unknown): RoundCopierReply {
  const r = v as Partial<{ ok: unknown; bytes: unknown; ms: unknown; copyMs: unknown; flushMs: unknown; error: unknown }> | null;
  if (r?.ok === true && typeof r.bytes === 'number' && typeof r.ms === 'number' && typeof r.copyMs === 'number' && typeof r.flushMs === 'number') {
    return { ok: true, bytes: r.bytes, ms: r.ms, copyMs: r.copyMs, flushMs: r.flushMs };
  }
  if (r?.ok === false && typeof r.error === 'string') return { ok: false, error: r.error };
  throw new TypeError('not a round copier reply');
}

/** Checks one parsed batch record (the copier's side of the wire). */
export function decodeRoundCopierBatch(v: unknown): RoundCopierBatch {
  const { extents, warm } = (v ?? {}) as { extents?: unknown; warm?: unknown };
  if (!Array.isArray(extents) || !extents.every((e) => Array.isArray(e) && e.length === 2 && e.every(Number.isSafeInteger))) throw new TypeError('not a round copier batch');
  if (warm !== undefined && typeof warm !== 'boolean') throw new TypeError('not a round copier batch');
  return { extents: extents as [number, number][], ...(warm ? { warm } : {}) };
}
