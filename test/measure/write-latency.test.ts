import { describe, expect, it } from 'vitest';
import { writeP99Us } from '../../src/measure/write-latency.js';
import { RecordType, type AckRecord } from '../../src/workload/records.js';

const ack = (epoch: number, stampNs: number, latencyUs: number): AckRecord => ({ type: RecordType.Ack, index: 0, epoch, seq: 0, stampNs, ackNs: stampNs + latencyUs * 1e3 });

describe('writeP99Us', () => {
  it('takes the nearest-rank p99 of one epoch within the window', () => {
    const acks = [...Array.from({ length: 99 }, (_, i) => ack(1, 1000 + i, 100)), ack(1, 2000, 5000), ack(2, 1500, 1e6), ack(1, 10, 1e6)];
    // 100 writes of epoch 1 in [1000, 3000): 99 at 100 µs and one at 5 ms → p99 = 100 µs
    expect(writeP99Us(acks, 1, 1000, 3000)).toBe(100);
    expect(writeP99Us(acks, 1, 1999, 3000)).toBe(5000);
  });

  it('is undefined when no write falls in the window', () => {
    expect(writeP99Us([ack(1, 5, 1)], 1, 10, 20)).toBeUndefined();
  });
});
