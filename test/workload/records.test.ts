import { describe, expect, it } from 'vitest';
import { encodeRecord, RECORD_BYTES, RecordDecoder, RecordType, type InstanceRecord } from '../../src/workload/records.js';

const records: InstanceRecord[] = [
  { type: RecordType.Ready, timeNs: 1e12 },
  { type: RecordType.Ack, index: 7, epoch: 1, seq: 42, stampNs: 1.5e12, ackNs: 1.6e12 },
  { type: RecordType.Read, state: 2, index: 9, epoch: 2, seq: 3, stampNs: 1e12, scheduledNs: 2e12, completedNs: 2.1e12 },
];

describe('instance records', () => {
  it('decode what was encoded, across arbitrary chunk boundaries', () => {
    const buf = Buffer.alloc(records.length * RECORD_BYTES);
    records.forEach((r, i) => encodeRecord(buf, i * RECORD_BYTES, r));
    for (const cut of [1, 17, 40, 41, 79, 119]) {
      const d = new RecordDecoder();
      const got = [...d.push(buf.subarray(0, cut)), ...d.push(buf.subarray(cut))];
      expect(got).toEqual(records);
      expect(d.pendingBytes).toBe(0);
    }
  });

  it('keeps a torn tail pending', () => {
    const buf = Buffer.alloc(RECORD_BYTES);
    encodeRecord(buf, 0, records[1]!);
    const d = new RecordDecoder();
    expect(d.push(buf.subarray(0, 30))).toEqual([]);
    expect(d.pendingBytes).toBe(30);
  });
});
