import { writeSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { encodeDeltaRequest } from './delta-wire.js';
import type { Extent } from './extents.js';

/**
 * B's end of the delta stream: one TCP connection to A's delta server. `fetch` asks for a
 * list of extents in one request and writes the bytes that come back, in order, to B's
 * device (`fd`, through its page cache: the caller flushes). One fetch at a time.
 */
export class DeltaStream {
  private sink: ((chunk: Buffer) => void) | undefined;
  private fail: ((err: Error) => void) | undefined;
  private broken: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      if (this.sink) this.sink(d);
      else this.breakWith(new Error(`delta server sent ${d.length} bytes nobody asked for`));
    });
    socket.on('error', (e) => this.breakWith(e));
    socket.on('close', () => this.breakWith(new Error('delta server closed the connection')));
  }

  private breakWith(err: Error): void {
    this.broken ??= err;
    const f = this.fail;
    this.sink = this.fail = undefined;
    f?.(err);
  }

  /** Connects to A's delta server. */
  static async open(host: string, port: number): Promise<DeltaStream> {
    const socket = connect({ host, port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new DeltaStream(socket);
  }

  /** Copies `extents` from A into `fd` (B's device); resolves with the bytes written. */
  fetch(extents: readonly Extent[], fd: number): Promise<number> {
    if (this.broken) return Promise.reject(this.broken);
    let i = 0;
    let into = 0;
    let bytes = 0;
    return new Promise<number>((resolve, reject) => {
      const done = (): void => {
        this.sink = this.fail = undefined;
        resolve(bytes);
      };
      // Skip empty extents up front so that `i` always points at one still owed.
      const settle = (): void => {
        while (i < extents.length && into === extents[i]!.length) {
          i++;
          into = 0;
        }
      };
      this.fail = reject;
      this.sink = (chunk) => {
        let at = 0;
        try {
          while (at < chunk.length) {
            settle();
            const e = extents[i];
            if (!e) throw new Error(`delta server sent ${chunk.length - at} bytes past the ${extents.length} extents asked for`);
            const n = Math.min(chunk.length - at, e.length - into);
            for (let w = 0; w < n; ) w += writeSync(fd, chunk, at + w, n - w, e.offset + into + w);
            at += n;
            into += n;
            bytes += n;
          }
          settle();
          if (i === extents.length) done();
        } catch (err) {
          this.breakWith(err as Error);
          this.socket.destroy();
        }
      };
      settle();
      if (i === extents.length) return done();
      this.socket.write(encodeDeltaRequest(extents));
    });
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    if (this.socket.destroyed) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.end();
    await closed;
  }
}
