/**
 * The HTTP service's data file: a preallocated file of fixed 32-byte slots, one per
 * acknowledged write request. Request `id` lives in slot `id` (ids are unique and
 * increasing, assigned by the client), so a restarted service needs no scan to continue
 * and the destination's contents can be checked request by request.
 *
 * | off | field                                      |
 * |-----|--------------------------------------------|
 * | 0   | magic u32 ("MGBH")                         |
 * | 4   | epoch u32 (1 = service on A, 2 = on B)     |
 * | 8   | request id, u32 low + u32 high             |
 * | 16  | write time ns f64 (CLOCK_MONOTONIC)        |
 * | 24  | FNV-1a 32 of bytes 0..23                   |
 * | 28  | zero                                       |
 *
 * Little-endian. Pure: no I/O here.
 */

export const SLOT_BYTES = 32;
export const SLOT_MAGIC = 0x4847424d; // "MGBH" little-endian

export interface SlotRecord {
  epoch: number;
  id: number;
  writeNs: number;
}

function fnv1a(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= buf[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Writes `r` into `buf` at `offset` (SLOT_BYTES bytes). */
export function encodeSlot(buf: Buffer, offset: number, r: SlotRecord): void {
  buf.writeUInt32LE(SLOT_MAGIC, offset);
  buf.writeUInt32LE(r.epoch, offset + 4);
  buf.writeUInt32LE(r.id % 2 ** 32, offset + 8);
  buf.writeUInt32LE(Math.floor(r.id / 2 ** 32), offset + 12);
  buf.writeDoubleLE(r.writeNs, offset + 16);
  buf.writeUInt32LE(fnv1a(buf, offset, offset + 24), offset + 24);
  buf.writeUInt32LE(0, offset + 28);
}

/** What a slot holds: a valid record, nothing (all zeros), or something that does not check out. */
export type SlotState = { kind: 'record'; record: SlotRecord } | { kind: 'empty' } | { kind: 'corrupt' };

export function decodeSlot(buf: Buffer, offset: number): SlotState {
  if (buf.readUInt32LE(offset) !== SLOT_MAGIC) {
    for (let i = offset; i < offset + SLOT_BYTES; i++) if (buf[i] !== 0) return { kind: 'corrupt' };
    return { kind: 'empty' };
  }
  if (buf.readUInt32LE(offset + 24) !== fnv1a(buf, offset, offset + 24)) return { kind: 'corrupt' };
  const id = buf.readUInt32LE(offset + 8) + buf.readUInt32LE(offset + 12) * 2 ** 32;
  return { kind: 'record', record: { epoch: buf.readUInt32LE(offset + 4), id, writeNs: buf.readDoubleLE(offset + 16) } };
}

/** What a data file holds: the ids found in their own slot, and the slots that do not check out. */
export interface DataFileContents {
  /** id → epoch of the service that wrote it. */
  ids: Map<number, number>;
  corruptSlots: number;
  /** Valid records found in a slot other than their id's (should never happen). */
  misplaced: number;
}

/** Scans a whole data file image (pure). */
export function scanDataFile(buf: Buffer): DataFileContents {
  const out: DataFileContents = { ids: new Map(), corruptSlots: 0, misplaced: 0 };
  const slots = Math.floor(buf.length / SLOT_BYTES);
  for (let s = 0; s < slots; s++) {
    const st = decodeSlot(buf, s * SLOT_BYTES);
    if (st.kind === 'corrupt') out.corruptSlots++;
    else if (st.kind === 'record') {
      if (st.record.id === s) out.ids.set(s, st.record.epoch);
      else out.misplaced++;
    }
  }
  return out;
}
