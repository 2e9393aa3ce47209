import { describe, expect, it } from 'vitest';
import { parseCount, parseDuration, parseEventRate, parseRate, parseSize, UnitError } from '../../src/scenario/units.js';

describe('parseSize', () => {
  it.each([
    ['64MiB', 64 * 2 ** 20],
    ['1GB', 1e9],
    ['4KiB', 4096],
    ['4096', 4096],
    ['1.5GiB', 1.5 * 2 ** 30],
    ['512 B', 512],
  ])('%s → %d bytes', (input, bytes) => expect(parseSize(input)).toBe(bytes));

  it.each(['', 'abc', '-1MiB', '10XB', '1.3B'])('rejects %j', (input) => expect(() => parseSize(input)).toThrow(UnitError));
});

describe('parseRate (bits per second)', () => {
  it.each([
    ['8MB/s', 64e6],
    ['1Gbit/s', 1e9],
    ['100Mbps', 100e6],
    ['200mbit', 200e6],
    ['512KiB/s', 512 * 1024 * 8],
    ['10B/s', 80],
  ])('%s → %d bit/s', (input, bps) => expect(parseRate(input)).toBe(bps));

  it.each(['8', 'fast', '-8MB/s', '8MX/s', '1 Gbit/h'])('rejects %j', (input) => expect(() => parseRate(input)).toThrow(UnitError));
});

describe('durations, event rates, counts', () => {
  it('parses durations into ms', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2s')).toBe(2000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('10min')).toBe(600_000);
    expect(() => parseDuration('5')).toThrow(UnitError);
  });
  it('parses event rates', () => {
    expect(parseEventRate('200/s')).toBe(200);
    expect(() => parseEventRate('fast')).toThrow(UnitError);
  });
  it('rejects zero and non-integer counts', () => {
    expect(parseCount('3', 'reps')).toBe(3);
    expect(() => parseCount('0', 'reps')).toThrow(/at least 1/);
    expect(() => parseCount('1.5', 'reps')).toThrow(UnitError);
  });
});
