import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RecordError } from '../../src/host/lines.js';
import { drained, onChildRecords } from '../../src/workload/node-entry.js';

const decodeNumber = (v: unknown): number => {
  if (typeof v !== 'number') throw new TypeError('not a number');
  return v;
};

describe("a child's record stream", () => {
  it('delivers records, and rejects with the first line that is not one', async () => {
    const stdout = new PassThrough();
    const got: number[] = [];
    const broken = onChildRecords({ stdout }, decodeNumber, (n) => got.push(n));
    stdout.write('1\n2\n');
    stdout.write('"two"\n3\n{oops\n');
    stdout.end();
    const err = await broken.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordError);
    expect((err as RecordError).line).toBe('"two"');
    expect((err as Error).cause).toBeInstanceOf(TypeError);
    // The records around it still arrive: waits fail, counting goes on.
    expect(got).toEqual([1, 2, 3]);
  });

  it('stays pending while every line is a record', async () => {
    const stdout = new PassThrough();
    const broken = onChildRecords({ stdout }, decodeNumber, () => undefined);
    stdout.end('7\n');
    await drained(stdout);
    expect(await Promise.race([broken, Promise.resolve('pending')])).toBe('pending');
  });
});
