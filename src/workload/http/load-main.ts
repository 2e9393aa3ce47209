/**
 * The client side of the HTTP workload, run in B's network namespace: the front door
 * (a proxy that follows the service) and autocannon driving `POST /w/<id>` through it,
 * each request with a fresh id. autocannon provides the load only; every response is
 * timestamped here on arrival and its id and answering epoch parsed from the body
 * (autocannon's own latencies are wrong after connection errors).
 *
 * stdin, one command a line: `target <host> <port>` switches the front door; `stop`
 * stops the load and prints the final `done` line. EOF on stdin stops too.
 */
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { FrontDoor } from './front-door.js';
import type { LoadConfig } from './load-config.js';

const now = (): bigint => process.hrtime.bigint();

let pending = '';
function emit(line: string): void {
  // Batched per tick: thousands of responses a second, one write each would cost more than the proxy.
  if (!pending) setImmediate(flush);
  pending += `${line}\n`;
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
            const [id, epoch] = body.trim().split(' ');
            emit(`ack ${id} ${epoch} ${t}`);
          } else emit(`status ${status} ${t}`);
        },
      },
    ],
  }, (err, result) => {
    if (err) throw err;
    finished(result);
  });
  instance.on('reqError', (err: Error) => emit(`${err.message === 'request timed out' ? 'timeout' : 'err'} ${now()}`));
  emit('ready');

  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => {
    lines.on('line', (line) => {
      const [cmd, host, p] = line.trim().split(' ');
      if (cmd === 'target' && host && p) door.switchTo({ host, port: Number(p) });
      else if (cmd === 'stop') resolve();
    });
    lines.on('close', () => resolve());
  });
  instance.stop();
  const r = await done;
  await door.close();
  emit(`done ${r.errors - r.timeouts} ${r.timeouts} ${r.non2xx}`);
  flush();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`http load: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(3);
  },
);
