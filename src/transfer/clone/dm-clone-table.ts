/**
 * dm-clone's table and status line (Documentation/admin-guide/device-mapper/dm-clone.rst),
 * as pure functions so they are tested without a kernel.
 */

export const SECTOR = 512;

export interface CloneTableOptions {
  sizeBytes: number;
  metaDevice: string;
  destDevice: string;
  sourceDevice: string;
  regionSizeBytes: number;
  /** Start with background hydration off (it is enabled by a message once B is up). */
  noHydration: boolean;
}

/** Why dm-clone cannot use this region size, or undefined. */
export function regionSizeProblem(bytes: number): string | undefined {
  const sectors = bytes / SECTOR;
  if (!Number.isInteger(sectors) || sectors < 8 || sectors > 2_097_152 || (sectors & (sectors - 1)) !== 0) {
    return `dm-clone needs a power-of-two region size from 4KiB to 1GiB, not ${bytes} bytes`;
  }
  return undefined;
}

/**
 * `0 <sectors> clone <meta> <dest> <source> <region sectors> <#features> [features]`. Tuning
 * (`hydration_threshold`, `hydration_batch_size`) goes by message, see `tuningMessages`.
 */
export function cloneTable(o: CloneTableOptions): string {
  if (o.sizeBytes % SECTOR !== 0) throw new Error(`volume size ${o.sizeBytes} is not a multiple of ${SECTOR}`);
  const problem = regionSizeProblem(o.regionSizeBytes);
  if (problem) throw new Error(problem);
  const features = o.noHydration ? ['no_hydration'] : [];
  return ['0', String(o.sizeBytes / SECTOR), 'clone', o.metaDevice, o.destDevice, o.sourceDevice, String(o.regionSizeBytes / SECTOR), String(features.length), ...features].join(' ');
}

/** The messages that apply the hydration tuning (regions); none for kernel defaults. */
export function tuningMessages(t: { hydrationThreshold?: number | undefined; hydrationBatch?: number | undefined }): string[][] {
  const out: string[][] = [];
  if (t.hydrationThreshold !== undefined) out.push(['hydration_threshold', String(t.hydrationThreshold)]);
  if (t.hydrationBatch !== undefined) out.push(['hydration_batch_size', String(t.hydrationBatch)]);
  return out;
}

/** The table a hydrated clone is swapped to: the destination alone. */
export function linearTable(sizeBytes: number, destDevice: string): string {
  return `0 ${sizeBytes / SECTOR} linear ${destDevice} 0`;
}

export interface CloneStatus {
  regionSizeBytes: number;
  hydrated: number;
  total: number;
  /** Regions being copied right now. */
  hydrating: number;
  /** `rw`, `ro` or `Fail` (metadata mode). */
  mode: string;
}

/**
 * Parses `dmsetup status` of a clone target:
 * `<start> <len> clone <meta block size> <used>/<total meta blocks> <region sectors>
 *  <hydrated>/<total regions> <hydrating> <#features> <features>* <#core args> <core args>* <mode>`.
 * A failed target prints `… clone Fail`.
 */
export function parseCloneStatus(line: string): CloneStatus {
  const f = line.trim().split(/\s+/);
  if (f[2] !== 'clone') throw new Error(`not a dm-clone status line: ${line}`);
  if (f[3] === 'Fail') throw new Error('dm-clone reports its target failed (metadata or I/O error)');
  const [hydrated, total] = (f[6] ?? '').split('/').map(Number);
  const regionSectors = Number(f[5]);
  const hydrating = Number(f[7]);
  const nFeatures = Number(f[8]);
  const nCore = Number(f[9 + nFeatures]);
  const mode = f[10 + nFeatures + nCore];
  if (![hydrated, total, regionSectors, hydrating, nFeatures, nCore].every((n) => Number.isInteger(n) && n! >= 0) || mode === undefined) {
    throw new Error(`cannot parse dm-clone status: ${line}`);
  }
  return { regionSizeBytes: regionSectors * SECTOR, hydrated: hydrated!, total: total!, hydrating, mode };
}
