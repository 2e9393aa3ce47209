import { run } from './exec.js';
import type { HostPair } from './hosts.js';
import { startNbdExport } from './nbd-export.js';
import { ResourceScope } from './scope.js';

/** What the link actually delivered, measured through the same NBD data path. */
export interface LinkMeasurement {
  /** Achieved NBD read throughput A→B, bits per second. */
  measuredBps: number;
  /** Bytes moved by the throughput probe. */
  probeBytes: number;
  /** Mean time of one synchronous 4 KiB NBD read A→B (round trip plus added latency), ms. */
  requestRttMs: number;
}

const MiB = 1 << 20;
const RTT_REQUESTS = 64;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/**
 * Measures the link through nbdkit and nbdcopy, as a copy would use it: ~2 s worth of a
 * pattern export at the asked rate, copied A→B with parallel requests; then 64
 * synchronous 4 KiB reads for the per-request round trip (including `latencyMs`).
 */
export async function measureLink(parent: ResourceScope, hosts: HostPair, latencyMs: number, workDir: string): Promise<LinkMeasurement> {
  const scope = new ResourceScope(parent.ledger);
  try {
    const probeBytes = Math.min(1024 * MiB, Math.max(16 * MiB, Math.round(((hosts.link.rateBps / 8) * 2) / MiB) * MiB));
    const bulk = await startNbdExport(scope, hosts.a, {
      plugin: ['pattern', `size=${probeBytes}`],
      latencyMs,
      port: 10810,
      readonly: true,
      workDir,
      name: 'probe-bulk',
    });
    const small = await startNbdExport(scope, hosts.a, {
      plugin: ['pattern', `size=${RTT_REQUESTS * 4096}`],
      latencyMs,
      port: 10811,
      readonly: true,
      workDir,
      name: 'probe-rtt',
    });
    const opts = { netns: hosts.b.netns };
    const bulkSeconds = await timed(() =>
      run('nbdcopy', ['--no-extents', '--connections=4', '--requests=16', bulk.uri, 'null:'], opts),
    );
    const rttSeconds = await timed(() =>
      run('nbdcopy', ['--no-extents', '--synchronous', '--request-size=4096', small.uri, 'null:'], opts),
    );
    return {
      measuredBps: (probeBytes * 8) / bulkSeconds,
      probeBytes,
      requestRttMs: (rttSeconds / RTT_REQUESTS) * 1000,
    };
  } finally {
    await scope.close();
  }
}
