import type { HostPair } from './hosts.js';
import { startNbdExport } from './nbd-export.js';
import { LINK_PROBE_PORTS } from './ports.js';
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
 * pattern export at the asked rate, copied A→B with parallel requests; then the
 * per-request round trip (including `latencyMs`) of synchronous 4 KiB reads.
 */
export async function measureLink(parent: ResourceScope, hosts: HostPair, latencyMs: number, workDir: string): Promise<LinkMeasurement> {
  const scope = new ResourceScope(parent.ledger);
  try {
    const probeBytes = Math.min(1024 * MiB, Math.max(16 * MiB, Math.round(((hosts.link.rateBps / 8) * 2) / MiB) * MiB));
    const bulk = await startNbdExport(scope, hosts.a, {
      plugin: ['pattern', `size=${probeBytes}`],
      latencyMs,
      port: LINK_PROBE_PORTS.bulk,
      readonly: true,
      workDir,
      name: 'probe-bulk',
    });
    // Two synchronous runs of different lengths: their difference cancels nbdcopy's
    // start-up and connection set-up, leaving the per-request time alone.
    const [short, long] = await Promise.all(
      [RTT_REQUESTS, 5 * RTT_REQUESTS].map((n, i) =>
        startNbdExport(scope, hosts.a, {
          plugin: ['pattern', `size=${n * 4096}`],
          latencyMs,
          port: LINK_PROBE_PORTS.rtt[i]!,
          readonly: true,
          workDir,
          name: `probe-rtt-${n}`,
        }),
      ),
    );
    const bulkSeconds = await timed(() =>
      hosts.b.run('nbdcopy', ['--no-extents', '--connections=4', '--requests=16', bulk.uri, 'null:']),
    );
    const sync = (uri: string): Promise<number> =>
      timed(() => hosts.b.run('nbdcopy', ['--no-extents', '--synchronous', '--request-size=4096', uri, 'null:']));
    const rttSeconds = Math.max(0, (await sync(long!.uri)) - (await sync(short!.uri)));
    return {
      measuredBps: (probeBytes * 8) / bulkSeconds,
      probeBytes,
      requestRttMs: (rttSeconds / (4 * RTT_REQUESTS)) * 1000,
    };
  } finally {
    await scope.close();
  }
}
