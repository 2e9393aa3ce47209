/**
 * The HTTP service: `POST /w/<id>` stores request `id` in slot `id` of a preallocated
 * data file on an ext4 filesystem and answers `200 <id> <epoch>` only after
 * `fdatasync` returned (the write is durable). Overwriting preallocated blocks in place
 * changes no filesystem metadata, so a killed service leaves a volume whose only
 * pending state is the filesystem journal. `GET /health` answers 200.
 *
 * Start-up is in two steps so that the process can start while its filesystem is still
 * being mounted: it reports `started`, waits for the command `open` on stdin, then opens
 * the data file, listens and reports `listening` (NDJSON records both ways, see
 * service-config.ts). SIGTERM: stop accepting, finish in-flight
 * requests, exit 0. SIGKILL is how *kill* stops it.
 */
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import { encodeRecord, readLines } from '../../host/lines.js';
import { decodeServiceCommand, type ServiceConfig, type ServiceEvent } from './service-config.js';
import { encodeSlot, SLOT_BYTES } from './slot-record.js';

const now = (): number => Number(process.hrtime.bigint());
const report = (e: ServiceEvent): void => void process.stdout.write(encodeRecord(e));

/** Waits for the controller's `open` (the filesystem is mounted); fails if stdin ends first. */
async function untilOpen(): Promise<void> {
  for await (const line of readLines(process.stdin)) if (decodeServiceCommand(JSON.parse(line)).kind === 'open') return;
  throw new Error('stdin closed before "open"');
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '') as ServiceConfig;
  report({ kind: 'started' });
  await untilOpen();
  const fh = await open(cfg.dataFile, 'r+');
  const slots = Math.floor((await fh.stat()).size / SLOT_BYTES);
  let inflight = 0;
  let idle: (() => void) | undefined;
  const server = createServer({ keepAlive: true }, (req, res) => {
    const m = /^\/w\/(\d+)$/.exec(req.url ?? '');
    req.resume();
    if (req.method === 'GET' && req.url === '/health') {
      res.end('ok\n');
      return;
    }
    if (req.method !== 'POST' || !m) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const id = Number(m[1]);
    if (!(id < slots)) {
      // Never wrap around: an acknowledged record must not be overwritten by a later one.
      res.statusCode = 507;
      res.end(`data file full (${slots} slots)\n`);
      return;
    }
    inflight++;
    const buf = Buffer.alloc(SLOT_BYTES);
    encodeSlot(buf, 0, { epoch: cfg.epoch, id, writeNs: now() });
    fh.write(buf, 0, SLOT_BYTES, id * SLOT_BYTES)
      .then(() => fh.datasync())
      .then(
        () => res.end(`${id} ${cfg.epoch}\n`),
        (err: Error) => {
          res.statusCode = 500;
          res.end(`${err.message}\n`);
        },
      )
      .finally(() => {
        if (--inflight === 0) idle?.();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  report({ kind: 'listening' });
  await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  server.close();
  server.closeIdleConnections();
  if (inflight > 0) await new Promise<void>((resolve) => (idle = resolve));
  server.closeAllConnections();
  await fh.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`http service: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(3);
  },
);
