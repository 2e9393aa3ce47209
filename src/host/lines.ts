/**
 * Line and record streams: the one splitter every line-based wire format shares.
 *
 * The wire formats between migbench and its child processes, and why each is what it is:
 * - round copier (transfer/dirty): NDJSON records both ways ({@link encodeRecord},
 *   {@link onRecords} on the controller, {@link readLines} in the child).
 * - QMP (qemu-storage-daemon, over its UNIX socket): NDJSON too, QEMU's own format.
 * - nbdcopy `--progress=1`: "N/100" lines, nbdcopy's format, read with {@link onLines}.
 * - HTTP service and load (workload/http): NDJSON records both ways, like the round
 *   copier's (service-config.ts and load-config.ts hold the record types and decoders).
 * - workload instance: fixed-size binary records (workload/records.ts), kept binary on
 *   purpose: one record per acknowledged write or completed read, written synchronously
 *   before the next I/O, so encoding cost sits on the measured path.
 */
import type { Readable } from 'node:stream';

/**
 * Splits a byte stream into lines: the one splitter of every line-based wire format
 * migbench reads (child processes' stdout and stdin, QMP). Chunks may end anywhere,
 * including inside a multi-byte UTF-8 sequence; a trailing `\r` is stripped and empty
 * lines are dropped.
 */
export class LineSplitter {
  readonly #decoder = new TextDecoder('utf-8');
  #pending = '';

  /** Feeds one chunk; returns the lines it completed (possibly none). */
  push(chunk: Uint8Array | string): string[] {
    this.#pending += typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    const parts = this.#pending.split('\n');
    this.#pending = parts.pop() ?? '';
    return parts.map(stripCr).filter((l) => l.trim() !== '');
  }

  /** The stream ended: returns the last line if it had no final newline (at most one). */
  end(): string[] {
    const last = stripCr(this.#pending + this.#decoder.decode());
    this.#pending = '';
    return last.trim() !== '' ? [last] : [];
  }

  /** Text received after the last newline (an incomplete message). */
  get pending(): string {
    return this.#pending;
  }
}

const stripCr = (l: string): string => (l.endsWith('\r') ? l.slice(0, -1) : l);

/** Calls `onLine` for every line of `stream`, including a last one without newline. */
export function onLines(stream: Readable, onLine: (line: string) => void): void {
  const split = new LineSplitter();
  stream.on('data', (chunk: Buffer | string) => split.push(chunk).forEach((l) => onLine(l)));
  stream.on('end', () => split.end().forEach((l) => onLine(l)));
}

/** The lines of `stream`, as they arrive (for a child process reading its stdin). */
export async function* readLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const split = new LineSplitter();
  for await (const chunk of stream) yield* split.push(chunk);
  yield* split.end();
}

/**
 * NDJSON records: one JSON value per line. The wire format of migbench's own child
 * processes that talk in records (the round copier; QMP speaks it too).
 */
export function encodeRecord(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/**
 * Calls `onRecord` with every NDJSON record of `stream`. `decode` checks and types a
 * parsed line; a line that is not JSON, or that `decode` rejects, goes to `onError`.
 */
export function onRecords<T>(stream: Readable, decode: (value: unknown) => T, onRecord: (record: T) => void, onError: (err: Error) => void): void {
  onLines(stream, (line) => {
    let record: T;
    try {
      record = decode(JSON.parse(line));
    } catch (err) {
      onError(new RecordError(line, { cause: err }));
      return;
    }
    onRecord(record);
  });
}

/** A line of a record stream that is not a valid record. */
export class RecordError extends Error {
  override readonly name = 'RecordError';
  constructor(readonly line: string, options?: { cause?: unknown }) {
    super(`not a valid record: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`, options);
  }
}
