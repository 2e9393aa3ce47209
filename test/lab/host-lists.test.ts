import { describe, expect, it } from 'vitest';
import { parseLoopList } from '../../src/lab/loop-device.js';
import { parseNbdList } from '../../src/lab/nbd-client.js';

describe('device lists read over a host', () => {
  it('parses device<TAB>backing lines, backing paths with spaces kept', () => {
    const m = parseLoopList('/dev/loop3\t/var/tmp/a b.img\n/dev/loop7\t/ (deleted)\n\n');
    expect([...m]).toEqual([
      ['/dev/loop3', '/var/tmp/a b.img'],
      ['/dev/loop7', '/ (deleted)'],
    ]);
  });
  it('parses NBD devices: sectors to bytes, "-" unconnected', () => {
    const m = parseNbdList('/dev/nbd0 131072\n/dev/nbd1 -\nnoise\n');
    expect(m.get('/dev/nbd0')).toBe(64 * 1024 * 1024);
    expect(m.get('/dev/nbd1')).toBe(-1);
    expect(m.size).toBe(2);
  });
});
