import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QmpClient, QmpConnectionError } from '../../../src/transfer/qemu/qmp-client.js';
import { LineSplitter, decodeQmpMessage, encodeQmpCommand } from '../../../src/transfer/qemu/qmp-framing.js';

const GREETING = {
  QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: 'test' }, capabilities: ['oob'] },
};

describe('qmp framing', () => {
  it('splits lines across arbitrary chunk boundaries and strips CR', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"a":')).toEqual([]);
    expect(splitter.pending).toBe('{"a":');
    expect(splitter.push('1}\r\n{"b":2}\r')).toEqual(['{"a":1}']);
    expect(splitter.push('\n\r\n{"c":3}\n{"d"')).toEqual(['{"b":2}', '{"c":3}']);
    expect(splitter.push(':4}\n')).toEqual(['{"d":4}']);
    expect(splitter.pending).toBe('');
  });

  it('reassembles a multi-byte UTF-8 character split between chunks', () => {
    const splitter = new LineSplitter();
    const bytes = new TextEncoder().encode('{"desc":"µs ✓"}\n');
    const lines: string[] = [];
    for (const byte of bytes) lines.push(...splitter.push(Uint8Array.of(byte)));
    expect(lines).toEqual(['{"desc":"µs ✓"}']);
  });

  it('classifies greetings, returns, errors and events', () => {
    expect(decodeQmpMessage(JSON.stringify(GREETING)).kind).toBe('greeting');
    expect(decodeQmpMessage('{"return": {}, "id": 3}')).toEqual({ kind: 'return', message: { return: {}, id: 3 } });
    expect(decodeQmpMessage('{"error": {"class": "GenericError", "desc": "x"}}').kind).toBe('error');
    const event = decodeQmpMessage(
      '{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "JOB_STATUS_CHANGE", "data": {"status": "running", "id": "j"}}',
    );
    expect(event.kind).toBe('event');
    expect(() => decodeQmpMessage('[1,2]')).toThrow(SyntaxError);
    expect(() => decodeQmpMessage('{"return": ')).toThrow(SyntaxError);
  });

  it('encodes a command as one line, omitting absent arguments', () => {
    expect(encodeQmpCommand('query-version', undefined, 1)).toBe('{"execute":"query-version","id":1}\n');
    expect(encodeQmpCommand('x', { a: 'b\nc' }, 2)).toBe('{"execute":"x","arguments":{"a":"b\\nc"},"id":2}\n');
  });
});

describe('QmpClient against a scripted server', () => {
  let dir: string;
  let server: Server | undefined;
  let peers: Socket[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qmp-fake-'));
    server = undefined;
    peers = [];
  });

  afterEach(async () => {
    for (const peer of peers) peer.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  /** Serves QMP one byte at a time; `onCommand` answers each parsed command. */
  async function serve(onCommand: (command: { execute: string; id: number }, send: (obj: object) => void) => void) {
    const path = join(dir, 'qmp.sock');
    const listening = createServer((socket) => {
      peers.push(socket);
      const send = (obj: object): void => {
        for (const byte of Buffer.from(`${JSON.stringify(obj)}\r\n`)) socket.write(Buffer.of(byte));
      };
      send(GREETING);
      const splitter = new LineSplitter();
      socket.on('data', (chunk) => {
        for (const line of splitter.push(chunk)) onCommand(JSON.parse(line), send);
      });
    });
    server = listening;
    await new Promise<void>((resolve) => listening.listen(path, resolve));
    return path;
  }

  it('matches replies by id even out of order, and keeps events that came with a reply', async () => {
    const held: { execute: string; id: number }[] = [];
    const path = await serve((command, send) => {
      if (command.execute === 'qmp_capabilities') return send({ return: {}, id: command.id });
      held.push(command);
      if (held.length < 2) return;
      // Answer in reverse order; the event is sent before the reply it accompanies.
      for (const c of held.reverse()) {
        send({ event: 'DONE', data: { for: c.execute }, timestamp: { seconds: 0, microseconds: 0 } });
        send({ return: c.execute, id: c.id });
      }
    });
    const qmp = await QmpClient.connect(path, { timeoutMs: 2000 });
    const mark = qmp.mark();
    const [a, b] = await Promise.all([qmp.execute<string>('first'), qmp.execute<string>('second')]);
    expect([a, b]).toEqual(['first', 'second']);
    // Both events were dispatched before this line ran: only `since` finds them.
    const event = await qmp.waitForEvent<{ for: string }>('DONE', (e) => e.data?.for === 'first', { since: mark });
    expect(event.data?.for).toBe('first');
    expect(qmp.eventsSince(mark).map((e) => e.event)).toEqual(['DONE', 'DONE']);
    await expect(qmp.waitForEvent('DONE', undefined, { timeoutMs: 50 })).rejects.toThrow(/timed out/);
    await qmp.close();
    expect(qmp.closed).toBe(true);
  });

  it('rejects outstanding requests and waits when the server hangs up', async () => {
    const path = await serve((command, send) => {
      if (command.execute === 'qmp_capabilities') send({ return: {}, id: command.id });
      else for (const peer of peers) peer.destroy();
    });
    const qmp = await QmpClient.connect(path, { timeoutMs: 2000 });
    const wait = qmp.waitForEvent('NEVER');
    await expect(qmp.execute('hang-up')).rejects.toBeInstanceOf(QmpConnectionError);
    await expect(wait).rejects.toBeInstanceOf(QmpConnectionError);
  });

  it('times out clearly when nothing listens, and honours an abort signal', async () => {
    const path = join(dir, 'missing.sock');
    const started = performance.now();
    await expect(QmpClient.connect(path, { timeoutMs: 150, intervalMs: 10 })).rejects.toThrow(
      /missing\.sock not accepting connections after 150 ms \(last error: ENOENT\)/,
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 30);
    await expect(QmpClient.connect(path, { signal: controller.signal })).rejects.toThrow('stop');
  });
});
