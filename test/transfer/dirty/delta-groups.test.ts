import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/measure/prng.js';
import { DELTA_GAP_BYTES, DELTA_READ_BUFFER_BYTES, DELTA_SPAN_MAX_BYTES, readGroups } from '../../../src/transfer/dirty/delta-groups.js';
import { DELTA_ENTRY_BYTES, DELTA_HEADER_BYTES, decodeDeltaCount, decodeDeltaEntries, encodeDeltaRequest } from '../../../src/transfer/dirty/delta-wire.js';
import type { Extent } from '../../../src/transfer/dirty/extents.js';

const KiB = 1024;
/** A device: a pattern that differs between nearby offsets. */
const DEVICE = Buffer.alloc(48 << 20);
for (let pos = 0; pos < DEVICE.length; pos++) DEVICE[pos] = (pos * 7 + Math.floor(pos / 4096) * 13) & 0xff;

/** What the server sends for `extents`: each group's reads from the pattern device, then its parts. */
function served(extents: readonly Extent[]): { bytes: Buffer; reads: number } {
  const out: Buffer[] = [];
  let reads = 0;
  for (const g of readGroups(extents)) {
    const buf = Buffer.allocUnsafe(DELTA_READ_BUFFER_BYTES);
    let used = 0;
    for (const r of g.reads) {
      expect(r.n).toBeLessThanOrEqual(DELTA_SPAN_MAX_BYTES);
      expect(r.at, 'reads fill the buffer in order, without overlap').toBe(used);
      used += r.n;
      DEVICE.copy(buf, r.at, r.pos, r.pos + r.n);
    }
    expect(used).toBeLessThanOrEqual(DELTA_READ_BUFFER_BYTES);
    for (const p of g.parts) expect(p.at + p.n).toBeLessThanOrEqual(used);
    const bytes = Buffer.concat(g.parts.map((p) => buf.subarray(p.at, p.at + p.n)));
    expect(bytes.length).toBe(g.bytes);
    out.push(bytes);
    reads += g.reads.length;
  }
  return { bytes: Buffer.concat(out), reads };
}

const expected = (extents: readonly Extent[]): Buffer =>
  Buffer.concat(extents.map((e) => DEVICE.subarray(e.offset, e.offset + e.length)));

describe('readGroups', () => {
  it('serves exactly the extents asked, in order, whatever their spacing and order', () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + Math.floor(random() * 60);
      const extents: Extent[] = [];
      let at = 0;
      for (let i = 0; i < n; i++) {
        // Gaps around the merge threshold, lengths up to past the longest read.
        at += Math.floor(random() * 4) * 4 * KiB + (random() < 0.3 ? DELTA_GAP_BYTES : 0);
        const length = random() < 0.1 ? DELTA_SPAN_MAX_BYTES + 12 * KiB : (1 + Math.floor(random() * 8)) * 4 * KiB;
        extents.push({ offset: at, length });
        at += length;
      }
      if (trial % 4 === 3) extents.reverse();
      expect(served(extents).bytes.equals(expected(extents)), `trial ${trial}`).toBe(true);
    }
  });

  it('reads neighbouring blocks with one read and far ones with a read each', () => {
    const near = [0, 2, 4, 20].map((b) => ({ offset: b * 4 * KiB, length: 4 * KiB }));
    expect(served(near).reads).toBe(1);
    const far = [0, 100, 200].map((b) => ({ offset: b * 4 * KiB, length: 4 * KiB }));
    expect(served(far).reads).toBe(3);
  });

  it('spreads a delta larger than one buffer over several groups', () => {
    const extents = Array.from({ length: 3000 }, (_, i) => ({ offset: i * 8 * KiB, length: 4 * KiB }));
    expect([...readGroups(extents)].length).toBeGreaterThan(1);
    expect(served(extents).bytes.equals(expected(extents))).toBe(true);
    // A long extent whose read is cut by the buffer's end (not by the longest read): its
    // next piece starts a read in the next buffer.
    const cut = [
      { offset: 0, length: 4 * KiB },
      { offset: 1 << 20, length: 5 << 20 },
    ];
    expect(served(cut).bytes.equals(expected(cut))).toBe(true);
  });
});

describe('delta wire', () => {
  it('round-trips a request', () => {
    const extents = [
      { offset: 0, length: 4096 },
      { offset: 2 ** 40, length: 2 ** 31 },
    ];
    const b = encodeDeltaRequest(extents);
    const count = decodeDeltaCount(b.subarray(0, DELTA_HEADER_BYTES));
    expect(count).toBe(2);
    expect(decodeDeltaEntries(b.subarray(DELTA_HEADER_BYTES), count)).toEqual(extents);
    expect(b.length).toBe(DELTA_HEADER_BYTES + 2 * DELTA_ENTRY_BYTES);
  });

  it('refuses empty or negative extents and a body of the wrong size', () => {
    expect(() => encodeDeltaRequest([{ offset: 0, length: 0 }])).toThrow(RangeError);
    expect(() => encodeDeltaRequest([{ offset: -1, length: 4096 }])).toThrow(RangeError);
    expect(() => decodeDeltaEntries(Buffer.alloc(11), 1)).toThrow(RangeError);
  });
});
