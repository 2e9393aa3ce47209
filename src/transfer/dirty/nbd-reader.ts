import { connect, type Socket } from 'node:net';
import {
  CMD_DISC,
  CMD_READ,
  encodeClientFlags,
  encodeOptGo,
  encodeRequest,
  exportSizeFromInfo,
  GREETING_BYTES,
  OPT_REPLY_HEADER_BYTES,
  parseGreeting,
  parseOptReplyHeader,
  parseSimpleReply,
  REP_ACK,
  REP_FLAG_ERROR,
  REP_INFO,
  SIMPLE_REPLY_BYTES,
} from './nbd-protocol.js';

/**
 * Buffers a socket's bytes and hands out exact-length reads, in order. Only one reader
 * at a time: the handshake reads step by step, then the reply loop takes over.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private have = 0;
  private waiter: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  private failed: Error | undefined;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.have += chunk.length;
    this.wake();
  }

  fail(err: Error): void {
    this.failed = err;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(err);
  }

  read(n: number): Promise<Buffer> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiter = { n, resolve, reject };
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiter;
    if (!w || this.have < w.n) return;
    this.waiter = undefined;
    this.have -= w.n;
    // An empty read may find no chunk at all (it used to throw on `undefined.length`).
    if (w.n === 0) {
      w.resolve(Buffer.alloc(0));
      return;
    }
    const head = this.chunks[0]!;
    if (head.length >= w.n) {
      // The common case: no copy.
      if (head.length === w.n) this.chunks.shift();
      else this.chunks[0] = head.subarray(w.n);
      w.resolve(head.subarray(0, w.n));
      return;
    }
    // Take only the chunks this read needs: concatenating everything buffered for a
    // 16-byte header would copy megabytes per reply.
    const out = Buffer.allocUnsafe(w.n);
    let got = 0;
    while (got < w.n) {
      const c = this.chunks[0]!;
      const take = Math.min(c.length, w.n - got);
      c.copy(out, got, 0, take);
      got += take;
      if (take === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(take);
    }
    w.resolve(out);
  }
}

/**
 * One NBD connection that reads with many requests in flight (simple replies, which
 * arrive in any order and are matched by handle). Enough of a client to pull dirty
 * extents: nbdcopy cannot take an extent list.
 */
export class NbdReader {
  private readonly queue = new ByteQueue();
  private readonly pending = new Map<bigint, { length: number; resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
  private nextHandle = 1n;
  private closed = false;
  sizeBytes = 0;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => this.queue.push(d));
    socket.on('error', (e) => this.queue.fail(e));
    socket.on('close', () => this.queue.fail(new Error('NBD connection closed')));
  }

  /** Connects to `host:port` and opens `exportName` (NBD_OPT_GO). */
  static async open(host: string, port: number, exportName: string): Promise<NbdReader> {
    const socket = connect({ host, port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const r = new NbdReader(socket);
    try {
      await r.handshake(exportName);
    } catch (err) {
      socket.destroy();
      throw err;
    }
    void r.replyLoop();
    return r;
  }

  private async handshake(exportName: string): Promise<void> {
    const flags = parseGreeting(await this.queue.read(GREETING_BYTES));
    this.socket.write(encodeClientFlags(flags));
    this.socket.write(encodeOptGo(exportName));
    for (;;) {
      const h = parseOptReplyHeader(await this.queue.read(OPT_REPLY_HEADER_BYTES));
      const payload = h.length ? await this.queue.read(h.length) : Buffer.alloc(0);
      if (h.type & REP_FLAG_ERROR) throw new Error(`NBD server refused export "${exportName}" (reply 0x${h.type.toString(16)}): ${payload.subarray(0).toString()}`);
      if (h.type === REP_INFO) this.sizeBytes = exportSizeFromInfo(payload) ?? this.sizeBytes;
      if (h.type === REP_ACK) return;
    }
  }

  private async replyLoop(): Promise<void> {
    try {
      for (;;) {
        const r = parseSimpleReply(await this.queue.read(SIMPLE_REPLY_BYTES));
        const p = this.pending.get(r.handle);
        if (!p) throw new Error(`NBD reply for unknown handle ${r.handle}`);
        this.pending.delete(r.handle);
        if (r.error) p.reject(new Error(`NBD read failed with error ${r.error}`));
        else p.resolve(await this.queue.read(p.length));
      }
    } catch (err) {
      for (const p of this.pending.values()) p.reject(err as Error);
      this.pending.clear();
    }
  }

  /** Reads `length` bytes at `offset`; many reads may be outstanding at once. */
  read(offset: number, length: number): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('NBD connection closed'));
    const handle = this.nextHandle++;
    return new Promise((resolve, reject) => {
      this.pending.set(handle, { length, resolve, reject });
      this.socket.write(encodeRequest(CMD_READ, handle, offset, length));
    });
  }

  /** Sends NBD_CMD_DISC and closes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.socket.end(encodeRequest(CMD_DISC, this.nextHandle++, 0, 0));
    await new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
  }
}
