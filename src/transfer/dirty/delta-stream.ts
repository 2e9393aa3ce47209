import { connect, type Socket } from 'node:net';
import { encodeDeltaRequest } from './delta-wire.js';
import type { Extent } from './extents.js';
import { DIRECT_ALIGN, type DeltaSink } from './direct-writer.js';

/**
 * B's end of the delta stream: one TCP connection to A's delta server. `fetch` asks for a
 * list of extents in one request and hands the bytes that come back, in order, to a
 * {@link DirectWriter} for B's device (the caller flushes). One fetch at a time.
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

  /**
   * Copies `extents` from A into B's device through `writer` (O_DIRECT writes as the bytes
   * arrive); resolves with the bytes taken once every write has completed. The caller
   * flushes. A `dry` writer makes this a warm-up that writes nothing.
   */
  fetch(extents: readonly Extent[], writer: DeltaSink): Promise<number> {
    if (this.broken) return Promise.reject(this.broken);
    let i = 0;
    let into = 0;
    let bytes = 0;
    const backlog: Buffer[] = [];
    let waiting = false;
    return new Promise<number>((resolve, reject) => {
      const done = (): void => {
        this.sink = undefined;
        writer.drain().then(() => {
          this.fail = undefined;
          resolve(bytes);
        }, reject);
      };
      // Skip empty extents up front so that `i` always points at one still owed.
      const settle = (): void => {
        while (i < extents.length && into === extents[i]!.length) {
          i++;
          into = 0;
        }
      };
      /** Hands `chunk` to the writer; false when it took only part (the rest stays in the backlog). */
      const take = (chunk: Buffer): boolean => {
        let at = 0;
        while (at < chunk.length) {
          settle();
          const e = extents[i];
          if (!e) throw new Error(`delta server sent ${chunk.length - at} bytes past the ${extents.length} extents asked for`);
          const n = Math.min(chunk.length - at, e.length - into);
          const aligned = e.offset % DIRECT_ALIGN === 0 && e.length % DIRECT_ALIGN === 0;
          const k = writer.put(chunk, at, n, e.offset + into, into + n === e.length, aligned);
          at += k;
          into += k;
          bytes += k;
          if (k < n) {
            backlog.unshift(chunk.subarray(at));
            return false;
          }
        }
        settle();
        if (i === extents.length) done();
        return true;
      };
      const pump = (): void => {
        try {
          while (backlog.length > 0) {
            if (!take(backlog.shift()!)) {
              // No slot free: stop reading the socket until a write completes.
              waiting = true;
              this.socket.pause();
              void writer.free().then(() => {
                waiting = false;
                this.socket.resume();
                pump();
              });
              return;
            }
          }
        } catch (err) {
          this.breakWith(err as Error);
          this.socket.destroy();
        }
      };
      this.fail = reject;
      this.sink = (chunk) => {
        backlog.push(chunk);
        if (!waiting) pump();
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
