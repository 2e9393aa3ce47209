import type { ResourceScope } from '../lab/scope.js';
import type { Scenario } from '../scenario/scenario.js';
import { startFioProbe, type FioProbe } from './fio-probe.js';

/**
 * The stamped instance's own read rate: with `--probe fio`, fio does the reads (timed per
 * I/O, content unchecked) and the instance only writes.
 */
export function stampedReadRate(s: Scenario): number {
  return s.probe === 'fio' ? 0 : s.readRate;
}

/** Starts the fio read probe on `device` when the scenario asks for it (`--probe fio`). */
export function startReadProbe(scope: ResourceScope, s: Scenario, device: string, netns: string, workDir: string, name: string): FioProbe | undefined {
  if (s.probe !== 'fio' || s.readRate <= 0) return undefined;
  return startFioProbe(scope, { device, netns, blockSize: s.blockSize, readRate: s.readRate, workDir, name });
}
