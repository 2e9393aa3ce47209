/**
 * The HTTP service: `POST /w/<id>` stores request `id` in slot `id` of a preallocated
 * data file on an ext4 filesystem and answers `200 <id> <epoch>` only after
 * `fdatasync` returned (the write is durable). Overwriting preallocated blocks in place
 * changes no filesystem metadata, so a killed service leaves a volume whose only
 * pending state is the filesystem journal. `GET /health` answers 200.
 *
 * Start-up is in two steps so that the process can start while its filesystem is still
 * being mounted: it prints `started`, waits for a line `open` on stdin, then opens the
 * data file, listens and prints `listening`. SIGTERM: stop accepting, finish in-flight
 * requests, exit 0. SIGKILL is how *kill* stops it.
 */
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import type { ServiceConfig } from './service-config.js';
import { encodeSlot, SLOT_BYTES } from './slot-record.js';

const now = (): number => Number(process.hrtime.bigint());

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '') as ServiceConfig;
  process.stdout.write('started\n');
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (l) => l.trim() === 'open' && (resolve(), lines.close()));
    lines.on('close', () => reject(new Error('stdin closed before "open"')));
  });
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
  process.stdout.write('listening\n');
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
