import type { Host } from '../host/host.js';
import type { ResourceScope } from '../lab/scope.js';
import type { Scenario } from '../scenario/scenario.js';
import { startFioProbe, type FioProbe } from './fio-probe.js';

/**
 * Checked reads per second at most while fio times the reads: enough to catch stale and
 * corrupt reads in every phase, few enough that the Node reader does not compete with fio.
 */
export const CHECK_READ_RATE = 50;

/**
 * The stamped instance's own read rate. With `--probe stamped` it times and checks every
 * read at `--read-rate`. With `--probe fio` (the default) fio times the reads (per I/O,
 * content unchecked) at `--read-rate`, and the instance keeps checking content at up to
 * {@link CHECK_READ_RATE}: a Node reader's timer and thread-pool hop add ~1 ms to each read
 * it times (docs/strategies.md, "The read probe"), fio's do not.
 */
export function stampedReadRate(s: Scenario): number {
  return s.probe === 'fio' ? Math.min(s.readRate, CHECK_READ_RATE) : s.readRate;
}

/** Starts the fio read probe on `device` of `host` when the scenario asks for it (`--probe fio`). */
export function startReadProbe(scope: ResourceScope, s: Scenario, host: Host, device: string, workDir: string, name: string): FioProbe | undefined {
  if (s.probe !== 'fio' || s.readRate <= 0) return undefined;
  return startFioProbe(scope, { device, host, blockSize: s.blockSize, readRate: s.readRate, workDir, name });
}
