/**
 * The client side of the HTTP workload, run in B's network namespace: the front door
 * (a proxy that follows the service) and autocannon driving `POST /w/<id>` through it,
 * each request with a fresh id. autocannon provides the load only; every response is
 * timestamped here on arrival and its id and answering epoch parsed from the body
 * (autocannon's own latencies are wrong after connection errors).
 *
 * NDJSON records both ways (load-config.ts): events on stdout; on stdin, `target`
 * switches the front door and `stop` stops the load and reports the final `done`. EOF on
 * stdin stops too.
 */
import autocannon from 'autocannon';
import { encodeRecord, readLines } from '../../host/lines.js';
import { FrontDoor } from './front-door.js';
import { decodeLoadCommand, type LoadConfig, type LoadEvent } from './load-config.js';

const now = (): number => Number(process.hrtime.bigint());

let pending = '';
function emit(event: LoadEvent): void {
  // Batched per tick: thousands of responses a second, one write each would cost more than the proxy.
  if (!pending) setImmediate(flush);
  pending += encodeRecord(event);
}
function flush(): void {
  const out = pending;
  pending = '';
  if (out) process.stdout.write(out);
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '') as LoadConfig;
  const door = new FrontDoor(cfg.target);
  const port = await door.listen();
  let nextId = 0;
  let finished!: (r: autocannon.Result) => void;
  const done = new Promise<autocannon.Result>((resolve) => (finished = resolve));
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: cfg.connections,
    pipelining: 1,
    duration: 24 * 3600,
    timeout: cfg.timeoutS,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({ ...req, path: `/w/${nextId++}` }),
        onResponse: (status, body) => {
          const t = now();
          if (status >= 200 && status < 300) {
            // The service answers `<id> <epoch>`.
            const [id, epoch] = body.trim().split(' ').map(Number);
            emit({ kind: 'ack', id: id!, epoch: epoch!, tNs: t });
          } else emit({ kind: 'status', code: status, tNs: t });
        },
      },
    ],
  }, (err, result) => {
    if (err) throw err;
    finished(result);
  });
  instance.on('reqError', (err: Error) => emit({ kind: err.message === 'request timed out' ? 'timeout' : 'err', tNs: now() }));
  emit({ kind: 'ready' });

  for await (const line of readLines(process.stdin)) {
    const command = decodeLoadCommand(JSON.parse(line));
    if (command.kind === 'stop') break;
    door.switchTo(command.target);
  }
  instance.stop();
  const r = await done;
  await door.close();
  emit({ kind: 'done', errors: r.errors - r.timeouts, timeouts: r.timeouts, non2xx: r.non2xx });
  flush();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`http load: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(3);
  },
);
