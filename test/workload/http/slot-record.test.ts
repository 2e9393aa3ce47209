import { describe, expect, it } from 'vitest';
import { decodeSlot, encodeSlot, scanDataFile, SLOT_BYTES } from '../../../src/workload/http/slot-record.js';

describe('HTTP data file slots', () => {
  it('round-trips a record, ids beyond 32 bits included', () => {
    const buf = Buffer.alloc(SLOT_BYTES);
    for (const id of [0, 7, 2 ** 32 + 5]) {
      encodeSlot(buf, 0, { epoch: 2, id, writeNs: 123456789 });
      expect(decodeSlot(buf, 0)).toEqual({ kind: 'record', record: { epoch: 2, id, writeNs: 123456789 } });
    }
  });

  it('tells empty, corrupt and valid slots apart', () => {
    const buf = Buffer.alloc(SLOT_BYTES * 4);
    encodeSlot(buf, 0, { epoch: 1, id: 0, writeNs: 1 });
    encodeSlot(buf, SLOT_BYTES * 2, { epoch: 2, id: 2, writeNs: 2 });
    buf[SLOT_BYTES * 2 + 9]! ^= 0xff; // a torn or damaged record
    buf[SLOT_BYTES * 3 + 30] = 1; // garbage where nothing was written
    expect(decodeSlot(buf, 0).kind).toBe('record');
    expect(decodeSlot(buf, SLOT_BYTES).kind).toBe('empty');
    expect(decodeSlot(buf, SLOT_BYTES * 2).kind).toBe('corrupt');
    expect(decodeSlot(buf, SLOT_BYTES * 3).kind).toBe('corrupt');
  });

  it('scans a data file: ids in their own slot, corrupt and misplaced records counted', () => {
    const buf = Buffer.alloc(SLOT_BYTES * 6);
    encodeSlot(buf, 0 * SLOT_BYTES, { epoch: 1, id: 0, writeNs: 1 });
    encodeSlot(buf, 1 * SLOT_BYTES, { epoch: 1, id: 1, writeNs: 1 });
    encodeSlot(buf, 3 * SLOT_BYTES, { epoch: 2, id: 3, writeNs: 1 });
    encodeSlot(buf, 4 * SLOT_BYTES, { epoch: 2, id: 0, writeNs: 1 }); // wrong slot
    buf[5 * SLOT_BYTES] = 0x42;
    const c = scanDataFile(buf);
    expect([...c.ids.entries()]).toEqual([
      [0, 1],
      [1, 1],
      [3, 2],
    ]);
    expect(c.misplaced).toBe(1);
    expect(c.corruptSlots).toBe(1);
  });
});
