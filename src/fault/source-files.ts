/**
 * The source export's fault triggers: nbdkit's error filter fails every request while its
 * `error-file` exists (source-eio), and its rate filter reads the bandwidth from its
 * `rate-file` (slow-source:RATE). The filters are on the export only when the fault needs
 * them, so a run without that fault serves the source exactly as before.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FaultSpec } from './spec.js';

/** The rate the rate filter reads while no fault is on: far above any link here. */
const UNLIMITED_RATE = '1000G';

/** The trigger files of a repetition's source export, and how to flip them. */
export interface SourceFaultFiles {
  eioFile: string;
  rateFile: string;
  /** Creates (errors on) or removes (errors off) the error filter's trigger file. */
  setEio(on: boolean): Promise<void>;
  /** Writes the rate filter's bandwidth; undefined: unlimited. */
  setRate(bps: number | undefined): Promise<void>;
}

/** The trigger files in `workDir` (they live on the controller; A's nbdkit shares its filesystem). */
export function sourceFaultFiles(workDir: string): SourceFaultFiles {
  const eioFile = join(workDir, 'fault-eio');
  const rateFile = join(workDir, 'fault-rate');
  return {
    eioFile,
    rateFile,
    setEio: (on) => (on ? writeFile(eioFile, '') : rm(eioFile, { force: true })),
    setRate: (bps) => writeFile(rateFile, bps === undefined ? UNLIMITED_RATE : String(Math.round(bps))),
  };
}

/** nbdkit filters and their parameters the source export needs for `fault` (none for most faults). */
export async function sourceExportFilters(fault: FaultSpec | undefined, workDir: string): Promise<{ filters: string[]; params: string[] }> {
  const files = sourceFaultFiles(workDir);
  if (fault?.kind === 'source-eio') {
    await files.setEio(false);
    return { filters: ['--filter=error'], params: ['error=EIO', 'error-rate=100%', `error-file=${files.eioFile}`] };
  }
  if (fault?.kind === 'slow-source' && fault.rateBps !== undefined) {
    await files.setRate(undefined);
    return { filters: ['--filter=rate'], params: [`rate=${UNLIMITED_RATE}`, `rate-file=${files.rateFile}`] };
  }
  return { filters: [], params: [] };
}
