/**
 * The delta server: a process on A that serves dirty extents of A's volume to B's round
 * copier over one TCP connection (delta-wire.ts). It reads A's device itself (O_DIRECT,
 * so it sees every completed write and caches nothing — or, for a loop device without
 * direct I/O, its backing file: loop-backing.ts) and streams the bytes back to back,
 * so a scattered delta costs A a local read per extent and the link only its bytes, not
 * one NBD round trip through nbdkit per 4 KiB block. Prints one NDJSON record
 * `{"listening":true}` once it accepts connections; ends on EOF on stdin.
 */
import { constants, read, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeRecord } from '../../host/lines.js';
import { alignedBuffer } from '../../workload/aligned-buffer.js';
import { decodeDeltaCount, decodeDeltaEntries, DELTA_ENTRY_BYTES, DELTA_HEADER_BYTES } from './delta-wire.js';
import { decodeDeltaServerConfig } from './delta-server-config.js';
import { DELTA_READ_BUFFER_BYTES as BUF, readGroups, type Group } from './delta-groups.js';
import type { Extent } from './extents.js';
import { ByteQueue } from './nbd-reader.js';
import { loopBackingFile } from './loop-backing.js';

// Reads run in libuv's thread pool; many in flight let the device's worker take them in
// batches (one synchronous read at a time paid two context switches per 4 KiB block, and
// topped out at ~5–30k reads/s on a busy 2-core machine). Set before the pool starts.
process.env.UV_THREADPOOL_SIZE ??= '16';

async function main(): Promise<void> {
  const cfg = decodeDeltaServerConfig(JSON.parse(process.argv[2] ?? ''));
  const direct = await open(cfg.device, constants.O_RDONLY | constants.O_DIRECT);
  // For a piece O_DIRECT refuses (not sector-aligned): read it through the page cache.
  const buffered = await open(cfg.device, 'r');
  // A loop device without direct I/O holds its bytes in its backing file's page cache:
  // read them there, synchronously (a memory copy), with no loop-worker round trip per
  // block and no clean bytes read between neighbours (loop-backing.ts says why that is
  // the device's content). MIGBENCH_DELTA_READ=device keeps the O_DIRECT device reads.
  const backingPath = process.env.MIGBENCH_DELTA_READ === 'device' ? undefined : await loopBackingFile(cfg.device);
  const backing = backingPath ? await open(backingPath, 'r') : undefined;
  // Two buffers: one group of extents is read into one while the other's bytes are sent.
  const bufs = [await alignedBuffer(direct, BUF), await alignedBuffer(direct, BUF)];

  /** Reads `n` bytes at `pos` into `buf` at `at`, all of them (O_DIRECT, or buffered where it refuses). */
  const readAt = (buf: Buffer, at: number, n: number, pos: number, fd = direct.fd): Promise<void> =>
    new Promise((resolve, reject) => {
      read(fd, buf, at, n, pos, (err, r) => {
        if (err?.code === 'EINVAL' && fd === direct.fd) return resolve(readAt(buf, at, n, pos, buffered.fd));
        if (err) return reject(err);
        if (r === 0) return reject(new Error(`${cfg.device} ends before ${pos}`));
        resolve(r === n ? undefined : readAt(buf, at + r, n - r, pos + r, fd));
      });
    });

  /** Reads one group (all its reads at once) into `buf`; resolves with the parts to send, copied out. */
  const readGroup = async (buf: Buffer, g: Group): Promise<Buffer> => {
    if (backing) {
      for (const r of g.reads) {
        for (let k = 0; k < r.n; ) {
          const got = readSync(backing.fd, buf, r.at + k, r.n - k, r.pos + k);
          if (got === 0) throw new Error(`${backingPath} ends before ${r.pos + k}`);
          k += got;
        }
      }
    } else await Promise.all(g.reads.map((r) => readAt(buf, r.at, r.n, r.pos)));
    // The socket may hold the bytes until they are sent: hand it its own, refill ours.
    const out = Buffer.allocUnsafe(g.bytes);
    let o = 0;
    for (const p of g.parts) o += buf.copy(out, o, p.at, p.at + p.n);
    return out;
  };

  /** Streams `extents` to `socket` in order, reading the next group while this one is sent. */
  const serve = async (socket: Socket, extents: readonly Extent[]): Promise<void> => {
    if (cfg.latencyMs > 0) await sleep(cfg.latencyMs);
    const it = readGroups(extents, backing ? 0 : undefined);
    let k = 0;
    const start = (): Promise<Buffer> | undefined => {
      const g = it.next();
      return g.done ? undefined : readGroup(bufs[k++ % 2]!, g.value);
    };
    for (let pending = start(); pending; ) {
      const data = await pending;
      pending = start();
      // A failed read surfaces at its await below; until then it must not count as unhandled.
      pending?.catch(() => undefined);
      if (!socket.write(data)) await once(socket, 'drain');
    }
  };

  const connection = async (socket: Socket): Promise<void> => {
    socket.setNoDelay(true);
    const q = new ByteQueue();
    socket.on('data', (d: Buffer) => q.push(d));
    socket.on('error', (e) => q.fail(e));
    socket.on('close', () => q.fail(new Error('connection closed')));
    try {
      for (;;) {
        const count = decodeDeltaCount(await q.read(DELTA_HEADER_BYTES));
        await serve(socket, decodeDeltaEntries(await q.read(count * DELTA_ENTRY_BYTES), count));
      }
    } catch (err) {
      // A peer that hung up is the normal end; anything else is reported, and the close tells B.
      if ((err as Error).message !== 'connection closed') process.stderr.write(`delta server: ${(err as Error).message}\n`);
      socket.destroy();
    }
  };

  const server = createServer((s) => void connection(s));
  server.listen(cfg.port, cfg.address);
  await once(server, 'listening');
  process.stdout.write(encodeRecord({ listening: true }));
  // EOF on stdin is the stop.
  process.stdin.resume();
  await once(process.stdin, 'end');
  server.close();
  await direct.close();
  await buffered.close();
  await backing?.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`delta server: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(3);
  },
);
