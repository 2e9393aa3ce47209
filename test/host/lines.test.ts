import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { encodeRecord, LineSplitter, onLines, onRecords, readLines, RecordError } from '../../src/host/lines.js';

describe('LineSplitter', () => {
  it('joins a line split across chunks, inside a multi-byte character too', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('ab€c\nsecond\n');
    const euro = bytes.indexOf(0xe2);
    expect(s.push(bytes.subarray(0, euro + 1))).toEqual([]);
    expect(s.push(bytes.subarray(euro + 1, euro + 5))).toEqual(['ab€c']);
    expect(s.push(bytes.subarray(euro + 5))).toEqual(['second']);
    expect(s.end()).toEqual([]);
  });

  it('returns several lines from one chunk, strips \\r and drops empty lines', () => {
    expect(new LineSplitter().push('a\r\n\n  \nb\nc')).toEqual(['a', 'b']);
  });

  it('gives the last line without a final newline at the end, once', () => {
    const s = new LineSplitter();
    expect(s.push('one\ntw')).toEqual(['one']);
    expect(s.pending).toBe('tw');
    expect(s.push('o')).toEqual([]);
    expect(s.end()).toEqual(['two']);
    expect(s.end()).toEqual([]);
  });
});

describe('line and record streams', () => {
  it('onLines delivers every line of a stream, the unterminated last one included', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    onLines(stream, (l) => lines.push(l));
    stream.write('sta');
    stream.write('rted\nlisten');
    stream.end('ing');
    await new Promise((r) => stream.on('end', r));
    expect(lines).toEqual(['started', 'listening']);
  });

  it('readLines yields lines of an async byte stream', async () => {
    async function* chunks(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"a":1}\n{"a"');
      yield Buffer.from(':2}\n{"a":3}');
    }
    const got: string[] = [];
    for await (const l of readLines(chunks())) got.push(l);
    expect(got).toEqual(['{"a":1}', '{"a":2}', '{"a":3}']);
  });

  it('onRecords decodes NDJSON records and reports bad lines with their cause', async () => {
    const stream = new PassThrough();
    const records: number[] = [];
    const errors: Error[] = [];
    const decode = (v: unknown): number => {
      if (typeof (v as { n?: unknown }).n !== 'number') throw new TypeError('no n');
      return (v as { n: number }).n;
    };
    onRecords(stream, decode, (n) => records.push(n), (e) => errors.push(e));
    stream.write(encodeRecord({ n: 1 }).slice(0, 3));
    stream.write(`${encodeRecord({ n: 1 }).slice(3)}not json\n`);
    stream.end(`${encodeRecord({ m: 2 })}${encodeRecord({ n: 3 })}`);
    await new Promise((r) => stream.on('end', r));
    expect(records).toEqual([1, 3]);
    expect(errors.map((e) => e instanceof RecordError && (e as RecordError).line)).toEqual(['not json', '{"m":2}']);
    expect(errors[0]!.cause).toBeInstanceOf(SyntaxError);
    expect(errors[1]!.cause).toBeInstanceOf(TypeError);
  });
});
