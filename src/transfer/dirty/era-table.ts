/**
 * dm-era's table, status line and `era_invalidate` output
 * (Documentation/admin-guide/device-mapper/era.rst, thin-provisioning-tools), as pure
 * functions so they are tested without a kernel.
 */
import { SECTOR } from '../clone/dm-clone-table.js';
import type { Extent } from './extents.js';

/** dm-era's smallest block: its block size must be a multiple of 8 sectors. */
export const ERA_MIN_BLOCK_BYTES = 4096;

/**
 * The era block for a workload block size: the same, so a 4 KiB write dirties 4 KiB
 * (coarser tracking copies more), but never below what dm-era accepts.
 */
export function eraBlockBytes(workloadBlockBytes: number): number {
  return Math.max(ERA_MIN_BLOCK_BYTES, workloadBlockBytes);
}

export interface EraTableOptions {
  sizeBytes: number;
  metaDevice: string;
  originDevice: string;
  blockBytes: number;
}

/** `0 <sectors> era <metadata dev> <origin dev> <block size in sectors>`. */
export function eraTable(o: EraTableOptions): string {
  if (o.sizeBytes % SECTOR !== 0) throw new Error(`volume size ${o.sizeBytes} is not a multiple of ${SECTOR}`);
  if (o.blockBytes % ERA_MIN_BLOCK_BYTES !== 0) throw new Error(`dm-era needs a block size that is a multiple of 4KiB, not ${o.blockBytes} bytes`);
  return ['0', String(o.sizeBytes / SECTOR), 'era', o.metaDevice, o.originDevice, String(o.blockBytes / SECTOR)].join(' ');
}

/**
 * Bytes for the metadata device. It holds the era array (4 bytes per block), two
 * in-core writesets (a bit per block), the archived writesets not yet digested (one per
 * era, a bit per block) and the copies a metadata snapshot forces. The device is a
 * sparse file, so a generous size costs nothing until used.
 */
export function eraMetadataBytes(sizeBytes: number, blockBytes: number): number {
  const blocks = Math.ceil(sizeBytes / blockBytes);
  const bytes = 16 * 2 ** 20 + blocks * 16;
  return Math.ceil(bytes / 2 ** 20) * 2 ** 20;
}

export interface EraStatus {
  /** Metadata block size, sectors. */
  metadataBlockSectors: number;
  usedMetadataBlocks: number;
  totalMetadataBlocks: number;
  currentEra: number;
  /** Where the held metadata snapshot is, or undefined when none is held. */
  heldRoot: number | undefined;
}

/** Parses `dmsetup status` of an era device: `0 32768 era 8 13/2048 1 -`. */
export function parseEraStatus(line: string): EraStatus {
  const f = line.trim().split(/\s+/);
  const at = f.indexOf('era');
  const [mdBlock, used, era, held] = [f[at + 1], f[at + 2], f[at + 3], f[at + 4]];
  const usage = /^(\d+)\/(\d+)$/.exec(used ?? '');
  if (at < 0 || !usage || !/^\d+$/.test(mdBlock ?? '') || !/^\d+$/.test(era ?? '') || !(held === '-' || /^\d+$/.test(held ?? ''))) {
    throw new Error(`unparseable dm-era status: ${line.trim()}`);
  }
  return {
    metadataBlockSectors: Number(mdBlock),
    usedMetadataBlocks: Number(usage[1]),
    totalMetadataBlocks: Number(usage[2]),
    currentEra: Number(era),
    heldRoot: held === '-' ? undefined : Number(held),
  };
}

/**
 * The byte extents of `era_invalidate` output, merged where adjacent:
 *
 *   <blocks>
 *     <range begin="10" end = "13"/>     (end exclusive)
 *     <block block="100"/>
 *   </blocks>
 *
 * Blocks are `blockBytes` long; the last one is clipped to the volume.
 */
export function parseEraInvalidate(xml: string, blockBytes: number, sizeBytes: number): Extent[] {
  if (!/<blocks>[\s\S]*<\/blocks>|<blocks\s*\/>/.test(xml)) throw new Error(`era_invalidate printed no <blocks> list: ${xml.slice(0, 200)}`);
  const out: Extent[] = [];
  const add = (begin: number, end: number): void => {
    if (!(Number.isSafeInteger(begin) && Number.isSafeInteger(end) && end > begin)) throw new Error(`bad era_invalidate range ${begin}..${end}`);
    const offset = begin * blockBytes;
    const length = Math.min(end * blockBytes, sizeBytes) - offset;
    if (length <= 0) throw new Error(`era_invalidate block ${begin} lies beyond the volume`);
    const last = out.at(-1);
    if (last && last.offset + last.length === offset) last.length += length;
    else out.push({ offset, length });
  };
  for (const m of xml.matchAll(/<(range|block)\b([^>]*)\/>/g)) {
    const attr = (name: string): number => {
      const v = new RegExp(`\\b${name}\\s*=\\s*"(\\d+)"`).exec(m[2]!)?.[1];
      if (v === undefined) throw new Error(`era_invalidate <${m[1]}> without ${name}: ${m[0]}`);
      return Number(v);
    };
    if (m[1] === 'range') add(attr('begin'), attr('end'));
    else add(attr('block'), attr('block') + 1);
  }
  return out;
}
