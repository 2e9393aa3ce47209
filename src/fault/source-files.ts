/**
 * The source export's fault triggers: nbdkit's error filter fails every request while its
 * `error-file` exists (source-eio), and its rate filter reads the bandwidth from its
 * `rate-file` (slow-source:RATE). The filters are on the export only when the fault needs
 * them, so a run without that fault serves the source exactly as before.
 */
import { join } from 'node:path';
import { onHost, type Host } from '../host/host.js';
import { ledgerHost } from '../host/ledger-host.js';
import type { ResourceScope } from '../lab/scope.js';
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

/**
 * The trigger files of the export on `a` in `workDir`, written through `a` (`onHost`: in
 * the lab they are the controller's files, which A's nbdkit shares; a real host keeps
 * them in its own work directory).
 */
export function sourceFaultFiles(workDir: string, a: Host): SourceFaultFiles {
  const eioFile = onHost(a, join(workDir, 'fault-eio'));
  const rateFile = onHost(a, join(workDir, 'fault-rate'));
  return {
    eioFile,
    rateFile,
    setEio: async (on) => {
      if (on) await a.writeFile(eioFile, '');
      else await a.run('rm', ['-f', '--', eioFile]);
    },
    setRate: (bps) => a.writeFile(rateFile, bps === undefined ? UNLIMITED_RATE : String(Math.round(bps))),
  };
}

/**
 * nbdkit filters and their parameters the source export on `a` needs for `fault` (none
 * for most faults). On a real host the trigger file is in A's ledger before it can exist,
 * so `cleanup --hosts` removes one a killed run left.
 */
export async function sourceExportFilters(scope: ResourceScope, fault: FaultSpec | undefined, workDir: string, a: Host): Promise<{ filters: string[]; params: string[] }> {
  const files = sourceFaultFiles(workDir, a);
  const trigger = async (path: string, reset: () => Promise<void>): Promise<void> => {
    if (!a.workPath) return reset();
    await scope.acquire({ kind: 'file', path, ...ledgerHost(a) }, reset, async () => {
      await a.run('rm', ['-f', path]);
    });
  };
  if (fault?.kind === 'source-eio') {
    await trigger(files.eioFile, () => files.setEio(false));
    return { filters: ['--filter=error'], params: ['error=EIO', 'error-rate=100%', `error-file=${files.eioFile}`] };
  }
  if (fault?.kind === 'slow-source' && fault.rateBps !== undefined) {
    await trigger(files.rateFile, () => files.setRate(undefined));
    return { filters: ['--filter=rate'], params: [`rate=${UNLIMITED_RATE}`, `rate-file=${files.rateFile}`] };
  }
  return { filters: [], params: [] };
}
