/**
 * The round copier: a long-lived process in B's namespace that keeps its connections to
 * A open and copies batches of extents (one NDJSON record each on stdin) into B's device,
 * answering each with a record once the batch is durable on B (fdatasync). Kept
 * alive between rounds so the final delta pays no process or connection start-up.
 * It reads either from A's delta server (one request per batch, the bytes streamed back:
 * `delta` in its config) or from A's NBD export (one NBD read per extent or piece of one,
 * many in flight over several connections).
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { encodeRecord, readLines } from '../../host/lines.js';
import { splitRequests, type Extent } from './extents.js';
import { DeltaStream } from './delta-stream.js';
import { BufferedWriter, DirectWriter, type DeltaSink } from './direct-writer.js';
import { alignedBuffer } from '../../workload/aligned-buffer.js';
import { NbdReader } from './nbd-reader.js';
import { decodeRoundCopierBatch, type RoundCopierConfig, type RoundCopierReply } from './round-copier-config.js';

// B's O_DIRECT writes run in libuv's pool: enough threads that many are in flight at once.
process.env.UV_THREADPOOL_SIZE ??= '8';
/** Staging for the O_DIRECT writes: slots × bytes bounds the bytes between socket and device. */
const SLOTS = 4;
const SLOT_BYTES = 1 << 20;

const reply = (r: RoundCopierReply): void => void process.stdout.write(encodeRecord(r));

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '') as RoundCopierConfig;
  const stream = cfg.delta ? await DeltaStream.open(cfg.delta.host, cfg.delta.port) : undefined;
  const readers = stream ? [] : await Promise.all(Array.from({ length: cfg.connections }, () => NbdReader.open(cfg.host, cfg.port, cfg.exportName)));
  const fh = await open(cfg.device, 'r+');
  const direct = stream ? await open(cfg.device, constants.O_RDWR | constants.O_DIRECT) : undefined;
  const slots = direct ? await Promise.all(Array.from({ length: SLOTS }, () => alignedBuffer(direct, SLOT_BYTES))) : [];
  const mode = process.env.MIGBENCH_B_WRITES ?? 'direct';
  const writer: DeltaSink | undefined = !direct ? undefined : mode === 'direct' ? new DirectWriter(direct.fd, fh.fd, slots) : new BufferedWriter(fh.fd, mode === 'buffered' ? Infinity : 1 << 20);
  const dryWriter = direct ? new DirectWriter(direct.fd, fh.fd, slots, true) : undefined;
  const viaNbd = async (extents: Extent[]): Promise<number> => {
    const requests = splitRequests(extents, cfg.requestBytes);
    let next = 0;
    let bytes = 0;
    const worker = async (reader: NbdReader): Promise<void> => {
      while (next < requests.length) {
        const r = requests[next++]!;
        const data = await reader.read(r.offset, r.length);
        await fh.write(data, 0, data.length, r.offset);
        bytes += data.length;
      }
    };
    const workers = readers.flatMap((rd) => Array.from({ length: cfg.requestsPerConnection }, () => worker(rd)));
    await Promise.all(workers);
    return bytes;
  };
  const copy = async (extents: Extent[], warm: boolean): Promise<{ bytes: number; copyMs: number; flushMs: number }> => {
    const t0 = process.hrtime.bigint();
    if (warm && !stream) throw new Error('a warm-up batch needs the delta server');
    const bytes = stream ? await stream.fetch(extents, warm ? dryWriter! : writer!) : await viaNbd(extents);
    const t1 = process.hrtime.bigint();
    // The O_DIRECT writes are on the device; this flushes its cache (and any unaligned piece).
    if (!warm) await fh.datasync();
    return { bytes, copyMs: Number(t1 - t0) / 1e6, flushMs: Number(process.hrtime.bigint() - t1) / 1e6 };
  };
  for await (const line of readLines(process.stdin)) {
    const t0 = process.hrtime.bigint();
    try {
      const batch = decodeRoundCopierBatch(JSON.parse(line));
      const r = await copy(batch.extents.map(([offset, length]) => ({ offset, length })), batch.warm === true);
      reply({ ok: true, ...r, ms: Number(process.hrtime.bigint() - t0) / 1e6 });
    } catch (err) {
      reply({ ok: false, error: (err as Error).message });
    }
  }
  await Promise.all(readers.map((r) => r.close()));
  await stream?.close();
  await direct?.close();
  await fh.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`round copier: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(3);
  },
);
