/**
 * The delta stream's wire format (pure). B's round copier asks A's delta server for a list
 * of extents in one request; A answers with their bytes, back to back in the order asked,
 * and nothing else: B knows every offset and length already, so no per-block header or
 * round trip crosses the link.
 *
 * Request: u32 BE extent count, then per extent u64 BE offset and u32 BE length.
 * Answer: the extents' bytes in request order. Any failure on A closes the connection.
 */
import type { Extent } from './extents.js';

/** Bytes of the request header and of each extent entry. */
export const DELTA_HEADER_BYTES = 4;
export const DELTA_ENTRY_BYTES = 12;

/** The most extents one request may carry (a 256 GiB volume of 4 KiB blocks, every one dirty). */
export const DELTA_MAX_EXTENTS = 2 ** 26;

/** Encodes a request for `extents`. */
export function encodeDeltaRequest(extents: readonly Extent[]): Buffer {
  if (extents.length > DELTA_MAX_EXTENTS) throw new RangeError(`a delta request carries at most ${DELTA_MAX_EXTENTS} extents, got ${extents.length}`);
  const b = Buffer.allocUnsafe(DELTA_HEADER_BYTES + extents.length * DELTA_ENTRY_BYTES);
  b.writeUInt32BE(extents.length, 0);
  let o = DELTA_HEADER_BYTES;
  for (const e of extents) {
    if (!Number.isSafeInteger(e.offset) || e.offset < 0 || !Number.isInteger(e.length) || e.length <= 0 || e.length > 0xffffffff) throw new RangeError(`bad extent ${e.offset}+${e.length}`);
    b.writeBigUInt64BE(BigInt(e.offset), o);
    b.writeUInt32BE(e.length, o + 8);
    o += DELTA_ENTRY_BYTES;
  }
  return b;
}

/** The extent count of a request header. */
export function decodeDeltaCount(header: Buffer): number {
  const n = header.readUInt32BE(0);
  if (n > DELTA_MAX_EXTENTS) throw new RangeError(`delta request of ${n} extents (at most ${DELTA_MAX_EXTENTS})`);
  return n;
}

/** Decodes the `count` entries following a request header. */
export function decodeDeltaEntries(body: Buffer, count: number): Extent[] {
  if (body.length !== count * DELTA_ENTRY_BYTES) throw new RangeError(`delta request body of ${body.length} bytes for ${count} extents`);
  const out: Extent[] = [];
  for (let o = 0; o < body.length; o += DELTA_ENTRY_BYTES) {
    const offset = Number(body.readBigUInt64BE(o));
    const length = body.readUInt32BE(o + 8);
    if (!Number.isSafeInteger(offset) || length === 0) throw new RangeError(`bad delta extent ${offset}+${length}`);
    out.push({ offset, length });
  }
  return out;
}
