/**
 * The wire format between a workload instance and the orchestrator: fixed 40-byte
 * little-endian records on the instance's stdout. A record is written only after the
 * event it reports has happened (an ack after the durable write returned), so a record
 * that reached the pipe is a fact even if the instance is SIGKILLed right after.
 *
 * | off | ack (type 1)      | read (type 2)                  | ready (type 3) |
 * |-----|-------------------|--------------------------------|----------------|
 * | 0   | type u8           | type u8                        | type u8        |
 * | 1   | -                 | block state u8 (BlockState)    | -              |
 * | 4   | block index u32   | block index u32                | -              |
 * | 8   | epoch u32         | epoch read u32                 | -              |
 * | 12  | seq u32           | seq read u32                   | -              |
 * | 16  | stamp ns f64      | stamp ns read f64              | -              |
 * | 24  | ack ns f64        | scheduled ns f64               | time ns f64    |
 * | 32  | -                 | completed ns f64               | -              |
 *
 * An I/O error (type 4, issue 12: the instance counts it and goes on) holds the operation
 * (IoOp) at offset 1, the block index at 4 and the time it failed (ns f64) at 24.
 *
 * Times are `process.hrtime.bigint()` as float64 ns: every process on the host shares
 * CLOCK_MONOTONIC, so instance and orchestrator times are on one clock.
 */

export const RECORD_BYTES = 40;

export const RecordType = { Ack: 1, Read: 2, Ready: 3, IoError: 4 } as const;

/** The operation an I/O error record reports. */
export const IoOp = { Read: 1, Write: 2 } as const;

export interface AckRecord {
  type: typeof RecordType.Ack;
  index: number;
  epoch: number;
  seq: number;
  stampNs: number;
  ackNs: number;
}

export interface ReadRecord {
  type: typeof RecordType.Read;
  /** BlockState of what the read returned. */
  state: number;
  index: number;
  epoch: number;
  seq: number;
  stampNs: number;
  scheduledNs: number;
  completedNs: number;
}

export interface ReadyRecord {
  type: typeof RecordType.Ready;
  timeNs: number;
}

/** A read or write that failed (EIO from a source that is gone, say); the instance went on. */
export interface IoErrorRecord {
  type: typeof RecordType.IoError;
  op: (typeof IoOp)[keyof typeof IoOp];
  index: number;
  timeNs: number;
}

export type InstanceRecord = AckRecord | ReadRecord | ReadyRecord | IoErrorRecord;

/** Encodes a record into `buf` at `offset` (RECORD_BYTES long). */
export function encodeRecord(buf: Buffer, offset: number, r: InstanceRecord): void {
  buf.fill(0, offset, offset + RECORD_BYTES);
  buf.writeUInt8(r.type, offset);
  switch (r.type) {
    case RecordType.Ack:
      buf.writeUInt32LE(r.index, offset + 4);
      buf.writeUInt32LE(r.epoch, offset + 8);
      buf.writeUInt32LE(r.seq, offset + 12);
      buf.writeDoubleLE(r.stampNs, offset + 16);
      buf.writeDoubleLE(r.ackNs, offset + 24);
      break;
    case RecordType.Read:
      buf.writeUInt8(r.state, offset + 1);
      buf.writeUInt32LE(r.index, offset + 4);
      buf.writeUInt32LE(r.epoch, offset + 8);
      buf.writeUInt32LE(r.seq, offset + 12);
      buf.writeDoubleLE(r.stampNs, offset + 16);
      buf.writeDoubleLE(r.scheduledNs, offset + 24);
      buf.writeDoubleLE(r.completedNs, offset + 32);
      break;
    case RecordType.Ready:
      buf.writeDoubleLE(r.timeNs, offset + 24);
      break;
    case RecordType.IoError:
      buf.writeUInt8(r.op, offset + 1);
      buf.writeUInt32LE(r.index, offset + 4);
      buf.writeDoubleLE(r.timeNs, offset + 24);
      break;
  }
}

/** Decodes the record at `offset`; throws on an unknown type (a framing bug). */
export function decodeRecord(buf: Buffer, offset: number): InstanceRecord {
  const type = buf.readUInt8(offset);
  switch (type) {
    case RecordType.Ack:
      return {
        type,
        index: buf.readUInt32LE(offset + 4),
        epoch: buf.readUInt32LE(offset + 8),
        seq: buf.readUInt32LE(offset + 12),
        stampNs: buf.readDoubleLE(offset + 16),
        ackNs: buf.readDoubleLE(offset + 24),
      };
    case RecordType.Read:
      return {
        type,
        state: buf.readUInt8(offset + 1),
        index: buf.readUInt32LE(offset + 4),
        epoch: buf.readUInt32LE(offset + 8),
        seq: buf.readUInt32LE(offset + 12),
        stampNs: buf.readDoubleLE(offset + 16),
        scheduledNs: buf.readDoubleLE(offset + 24),
        completedNs: buf.readDoubleLE(offset + 32),
      };
    case RecordType.Ready:
      return { type, timeNs: buf.readDoubleLE(offset + 24) };
    case RecordType.IoError:
      return { type, op: buf.readUInt8(offset + 1) as IoErrorRecord['op'], index: buf.readUInt32LE(offset + 4), timeNs: buf.readDoubleLE(offset + 24) };
    default:
      throw new Error(`unknown instance record type ${type} at offset ${offset}`);
  }
}

/**
 * Splits a byte stream into records, keeping a partial tail between chunks.
 * `push` returns the complete records found so far.
 */
export class RecordDecoder {
  private tail: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): InstanceRecord[] {
    const data = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    const whole = data.length - (data.length % RECORD_BYTES);
    const out: InstanceRecord[] = [];
    for (let off = 0; off < whole; off += RECORD_BYTES) out.push(decodeRecord(data, off));
    this.tail = Buffer.from(data.subarray(whole));
    return out;
  }

  /** Bytes of an incomplete record still buffered (non-zero at EOF means a torn record). */
  get pendingBytes(): number {
    return this.tail.length;
  }
}
