/** How A's delta server turns an extent list into reads of its device (pure). */
import type { Extent } from './extents.js';

/** Bytes of A's device one group of reads covers (each of two buffers). */
export const DELTA_READ_BUFFER_BYTES = 4 << 20;
const BUF = DELTA_READ_BUFFER_BYTES;
/** Longest single read. */
export const DELTA_SPAN_MAX_BYTES = 1 << 20;
const SPAN_MAX = DELTA_SPAN_MAX_BYTES;
/**
 * Dirty extents this close are read with one read, the clean bytes between them included
 * (they are read on A, never sent): a 64 KiB read costs A about 1.5 × a 4 KiB one.
 */
export const DELTA_GAP_BYTES = 64 * 1024;
const GAP = DELTA_GAP_BYTES;

/** One group: reads into a buffer (`at` in it, `n` bytes at `pos` on the device), and the parts of it to send, in order. */
export interface Group {
  reads: { at: number; n: number; pos: number }[];
  parts: { at: number; n: number }[];
  bytes: number;
}

/**
 * Splits `extents` into groups of reads that fit one buffer, merging extents at most
 * `gap` (default {@link DELTA_GAP_BYTES}) apart into one read of at most {@link SPAN_MAX}. Order is kept: the parts,
 * concatenated, are the extents' bytes in the order asked.
 */
export function* readGroups(extents: readonly Extent[], gap = GAP): Generator<Group> {
  let g: Group = { reads: [], parts: [], bytes: 0 };
  let used = 0;
  let span: { at: number; n: number; pos: number } | undefined;
  for (const e of extents) {
    for (let off = 0; off < e.length; ) {
      const pos = e.offset + off;
      const end = span ? span.pos + span.n : 0;
      if (span && pos >= end && pos - end <= gap) {
        // Extend the open read over the gap and as much of this extent as fits.
        const n = Math.min(e.length - off, span.pos + SPAN_MAX - pos, BUF - used - (pos - end));
        if (n > 0) {
          used += pos - end + n;
          span.n = pos + n - span.pos;
          g.parts.push({ at: span.at + (pos - span.pos), n });
          g.bytes += n;
          off += n;
          continue;
        }
      }
      if (used >= BUF) {
        yield g;
        g = { reads: [], parts: [], bytes: 0 };
        used = 0;
        span = undefined;
      }
      const n = Math.min(e.length - off, SPAN_MAX, BUF - used);
      span = { at: used, n, pos };
      g.reads.push(span);
      g.parts.push({ at: used, n });
      g.bytes += n;
      used += n;
      off += n;
    }
  }
  if (g.parts.length > 0) yield g;
}
