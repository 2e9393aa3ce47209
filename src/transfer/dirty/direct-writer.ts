import { fdatasync, write, writeSync } from 'node:fs';

/** Alignment O_DIRECT needs of a write's offset, length and buffer address (a page covers every device here). */
export const DIRECT_ALIGN = 4096;

/**
 * B's side of a delta pass: takes the streamed bytes, extent piece by extent piece, and
 * writes each piece to B's device with O_DIRECT as soon as it is complete, many writes in
 * flight (libuv's pool), so the pass leaves no page-cache writeback for its flush (buffered
 * writes left 4096 dirty pages to `fdatasync`: 13–450 ms for a 16 MiB scattered delta).
 * The bytes are staged in a few aligned slots; a slot is refilled only once all its writes
 * have completed, and `put` takes fewer bytes than offered while none is free (the caller
 * waits on `free()`), so memory stays bounded whatever the pass's size. Pieces O_DIRECT
 * cannot take (not {@link DIRECT_ALIGN}-aligned) are written through the page cache at once;
 * the caller's flush covers them. With `dry`, nothing is written: the warm-up runs the same
 * code without touching B's device.
 */
export class DirectWriter implements DeltaSink {
  private slot = 0;
  private used = 0;
  private readonly pending: number[];
  /** The piece being filled: where in the current slot it starts, and its device offset and bytes so far. */
  private piece: { at: number; pos: number; n: number } | undefined;
  private waiters: (() => void)[] = [];
  private error: Error | undefined;

  /**
   * @param directFd B's device opened with O_DIRECT
   * @param bufferedFd the same device through the page cache (for unaligned pieces)
   * @param slots aligned buffers, each a multiple of {@link DIRECT_ALIGN} bytes
   */
  constructor(
    private readonly directFd: number,
    private readonly bufferedFd: number,
    private readonly slots: readonly Buffer[],
    private readonly dry = false,
  ) {
    this.pending = slots.map(() => 0);
  }

  /**
   * Offers `n` bytes of `chunk` from `at`, for device offset `pos` (contiguous with the
   * previous call's bytes unless a new extent began: `pos` says); `last` when they end
   * their extent, `aligned` when the extent's offset and length are {@link DIRECT_ALIGN}
   * multiples. Returns how many it took: fewer than `n` when no slot is free.
   */
  put(chunk: Buffer, at: number, n: number, pos: number, last: boolean, aligned: boolean): number {
    if (this.error) throw this.error;
    const p = this.piece;
    if (p && p.pos + p.n !== pos) this.issue();
    if (!aligned) {
      // Unaligned: straight through the page cache.
      if (!this.dry) for (let w = 0; w < n; ) w += writeSync(this.bufferedFd, chunk, at + w, n - w, pos + w);
      return n;
    }
    let took = 0;
    while (took < n) {
      const buf = this.slots[this.slot]!;
      if (this.used >= buf.length) {
        this.issue();
        const next = (this.slot + 1) % this.slots.length;
        if (this.pending[next]! > 0) return took;
        this.slot = next;
        this.used = 0;
      }
      const cur = this.slots[this.slot]!;
      this.piece ??= { at: this.used, pos: pos + took, n: 0 };
      const k = Math.min(n - took, cur.length - this.used);
      chunk.copy(cur, this.used, at + took, at + took + k);
      this.used += k;
      this.piece.n += k;
      took += k;
    }
    if (last) this.issue();
    return took;
  }

  /** Writes the open piece (if any) and starts the next piece at an aligned place in the slot. */
  private issue(): void {
    const p = this.piece;
    if (!p) return;
    this.piece = undefined;
    this.used = Math.ceil(this.used / DIRECT_ALIGN) * DIRECT_ALIGN;
    if (p.n === 0 || this.dry) return;
    const s = this.slot;
    this.pending[s]!++;
    const buf = this.slots[s]!;
    const done = (err: NodeJS.ErrnoException | null, w: number, at: number, n: number, pos: number): void => {
      if (!err && w < n) return void write(this.directFd, buf, at + w, n - w, pos + w, (e, ww) => done(e, ww, at + w, n - w, pos + w));
      this.pending[s]!--;
      if (err) this.error ??= err;
      this.wake();
    };
    write(this.directFd, buf, p.at, p.n, p.pos, (err, w) => done(err, w, p.at, p.n, p.pos));
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  /** Resolves when some slot's writes have completed (after `put` took fewer bytes than offered). */
  free(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Writes any open piece and resolves once every write has completed (rejects with the first failure). */
  async drain(): Promise<void> {
    this.issue();
    while (this.pending.some((c) => c > 0)) await this.free();
    this.slot = 0;
    this.used = 0;
    if (this.error) {
      const e = this.error;
      this.error = undefined;
      throw e;
    }
  }
}

/** What a delta fetch hands its bytes to (see {@link DirectWriter.put}). */
export interface DeltaSink {
  put(chunk: Buffer, at: number, n: number, pos: number, last: boolean, aligned: boolean): number;
  free(): Promise<void>;
  drain(): Promise<void>;
}

/**
 * The alternative to {@link DirectWriter}: writes through B's page cache as the bytes
 * arrive and starts writeback early — an `fdatasync` in the background each time
 * `kickBytes` more have been written, one at a time — so the caller's final flush has
 * only the tail left.
 */
export class BufferedWriter implements DeltaSink {
  private since = 0;
  private syncing: Promise<void> | undefined;
  private error: Error | undefined;

  constructor(
    private readonly fd: number,
    private readonly kickBytes = 1 << 20,
  ) {}

  put(chunk: Buffer, at: number, n: number, pos: number): number {
    if (this.error) throw this.error;
    for (let w = 0; w < n; ) w += writeSync(this.fd, chunk, at + w, n - w, pos + w);
    this.since += n;
    if (this.since >= this.kickBytes && !this.syncing) {
      this.since = 0;
      this.syncing = new Promise<void>((resolve) =>
        fdatasync(this.fd, (err) => {
          if (err) this.error ??= err;
          this.syncing = undefined;
          resolve();
        }),
      );
    }
    return n;
  }

  free(): Promise<void> {
    return Promise.resolve();
  }

  async drain(): Promise<void> {
    await this.syncing;
    this.since = 0;
    if (this.error) {
      const e = this.error;
      this.error = undefined;
      throw e;
    }
  }
}
