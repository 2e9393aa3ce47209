/** A byte range of the volume. */
export interface Extent {
  offset: number;
  length: number;
}

/**
 * Dirty extents from `nbdinfo --map=qemu:dirty-bitmap:NAME` output: one line per extent,
 * `offset length type description`; type 1 means dirty. Adjacent dirty extents are merged.
 */
export function parseDirtyMap(text: string): Extent[] {
  const out: Extent[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || f[0] === '') continue;
    const [offset, length, type] = [Number(f[0]), Number(f[1]), Number(f[2])];
    if (![offset, length, type].every(Number.isSafeInteger)) throw new Error(`unparseable dirty-bitmap map line: ${line}`);
    if ((type & 1) === 0 || length === 0) continue;
    const last = out.at(-1);
    if (last && last.offset + last.length === offset) last.length += length;
    else out.push({ offset, length });
  }
  return out;
}

/** Total bytes of a list of extents. */
export function extentBytes(extents: readonly Extent[]): number {
  return extents.reduce((s, e) => s + e.length, 0);
}

/** Splits extents into requests of at most `maxBytes` each (in order). */
export function splitRequests(extents: readonly Extent[], maxBytes: number): Extent[] {
  if (maxBytes <= 0) throw new Error('maxBytes must be positive');
  const out: Extent[] = [];
  for (const e of extents) {
    for (let off = 0; off < e.length; off += maxBytes) out.push({ offset: e.offset + off, length: Math.min(maxBytes, e.length - off) });
  }
  return out;
}

/** The whole volume as one extent. */
export function wholeVolume(sizeBytes: number): Extent[] {
  return [{ offset: 0, length: sizeBytes }];
}
