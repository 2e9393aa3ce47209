import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FrontDoor } from '../../../src/workload/http/front-door.js';

const servers: Server[] = [];
const doors: FrontDoor[] = [];

afterEach(async () => {
  for (const d of doors.splice(0)) await d.close();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** An HTTP service on 127.0.0.1 answering `name`, or misbehaving as told. */
async function service(name: string, port = 0, behave: 'answer' | 'die' = 'answer'): Promise<number> {
  const s = createServer((req, res) => {
    req.resume();
    if (behave === 'die') req.socket.destroy();
    else res.end(`${name} ${req.method} ${req.url}`);
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(port, '127.0.0.1', () => r()));
  return (s.address() as AddressInfo).port;
}

/** A port nothing listens on (for now). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

function post(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function door(port: number): Promise<{ d: FrontDoor; port: number }> {
  const d = new FrontDoor({ host: '127.0.0.1', port });
  doors.push(d);
  return { d, port: await d.listen() };
}

describe('front door', () => {
  it('forwards to the current target and follows a switch request by request', async () => {
    const a = await service('A');
    const b = await service('B');
    const { d, port } = await door(a);
    expect(await post(port, '/w/1')).toEqual({ status: 200, body: 'A POST /w/1' });
    d.switchTo({ host: '127.0.0.1', port: b });
    expect(await post(port, '/w/2')).toEqual({ status: 200, body: 'B POST /w/2' });
  });

  it('holds a request while the target refuses, and delivers it once a service is there', async () => {
    const gone = await freePort();
    const { d, port } = await door(gone);
    const pending = post(port, '/w/3');
    let settled = false;
    void pending.finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(settled).toBe(false);
    d.switchTo({ host: '127.0.0.1', port: await service('B') });
    expect(await pending).toEqual({ status: 200, body: 'B POST /w/3' });
  });

  it('answers 502 when the service went away with the request', async () => {
    const { port } = await door(await service('A', 0, 'die'));
    const r = await post(port, '/w/4');
    expect(r.status).toBe(502);
  });
});
