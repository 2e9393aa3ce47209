/** One extent of `qemu-img map --output=json`. */
export interface QemuMapExtent {
  start: number;
  length: number;
  depth: number;
  present?: boolean;
  zero: boolean;
  data: boolean;
  offset?: number;
}

/**
 * Extents the raw destination must be zeroed over after a qcow2 with an external data
 * file is dismantled: clusters qcow2 reads as zeros (zero writes, zero source regions)
 * hold stale bytes on the raw device. Adjacent extents are merged. Throws if an extent
 * is not present at all: hydration did not finish and the device is not a whole copy.
 * Pure.
 */
export function zeroExtentsToFill(map: readonly QemuMapExtent[]): { start: number; length: number }[] {
  const out: { start: number; length: number }[] = [];
  for (const e of map) {
    if (e.present === false) throw new Error(`clone incomplete: ${e.length} bytes at ${e.start} were never hydrated`);
    if (e.data) continue;
    const last = out.at(-1);
    if (last && last.start + last.length === e.start) last.length += e.length;
    else out.push({ start: e.start, length: e.length });
  }
  return out;
}
