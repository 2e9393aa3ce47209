/**
 * What a run measured of its link, as the record keeps it (runs.csv link columns,
 * meta.json `link`). A plain shape: the lab's link probe produces a value of it, the
 * record does not need to know how.
 */
export interface MeasuredLink {
  /** Achieved NBD read throughput A→B, bits per second. */
  measuredBps: number;
  /** Bytes moved by the throughput probe. */
  probeBytes: number;
  /** Mean time of one synchronous 4 KiB NBD read A→B (round trip plus added latency), ms. */
  requestRttMs: number;
}
