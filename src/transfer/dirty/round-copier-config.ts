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
}

/** One batch to copy, a JSON line on the copier's stdin: `[offset, length]` pairs. */
export interface RoundCopierBatch {
  extents: [number, number][];
}

/** The copier's answer to a batch, a JSON line on its stdout. */
export type RoundCopierReply = { ok: true; bytes: number; ms: number } | { ok: false; error: string };

/** The copier entry point, relative to the compiled package. */
export const ROUND_COPIER_ENTRY = 'dist/src/transfer/dirty/round-copier-main.js';
