import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QmpClient, QmpConnectionError, QmpError, type QmpEvent } from '../../../src/transfer/qemu/qmp-client.js';
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

const DAEMON_OPTIONS = { reject: false, stdin: 'ignore' } as const;
type Daemon = ResultPromise<typeof DAEMON_OPTIONS>;

describe('QmpClient against qemu-storage-daemon', () => {
  let dir: string;
  let socketPath: string;
  let daemon: Daemon | undefined;
  let qmp: QmpClient | undefined;

  const startDaemon = (): Daemon =>
    execa(
      'qemu-storage-daemon',
      ['--chardev', `socket,path=${socketPath},server=on,wait=off,id=qmp0`, '--monitor', 'chardev=qmp0'],
      DAEMON_OPTIONS,
    );

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qmp-qsd-'));
    socketPath = join(dir, 'qmp.sock');
    // Start connecting before the daemon exists: connect() must poll until the socket accepts.
    const connecting = QmpClient.connect(socketPath, { timeoutMs: 10_000 });
    daemon = startDaemon();
    qmp = await connecting;
  });

  afterEach(async () => {
    await qmp?.close();
    qmp = undefined;
    if (daemon !== undefined) {
      if (daemon.exitCode === null) daemon.kill('SIGKILL');
      await daemon;
      daemon = undefined;
    }
    await rm(dir, { recursive: true, force: true });
  });

  const client = (): QmpClient => {
    if (qmp === undefined) throw new Error('not connected');
    return qmp;
  };

  it('negotiates capabilities and reports version 7.x', async () => {
    expect(client().greeting.QMP.version.qemu.major).toBe(7);
    // Negotiation already happened in connect(): a second qmp_capabilities is refused.
    await expect(client().execute('qmp_capabilities')).rejects.toMatchObject({ class: 'CommandNotFound' });
    const version = await client().execute<{ qemu: { major: number; minor: number } }>('query-version');
    expect(version.qemu.major).toBe(7);
  });

  it('adds a null-co node and lists it', async () => {
    await client().execute('blockdev-add', { driver: 'null-co', 'node-name': 'null0', size: 1 << 20 });
    const nodes = await client().execute<{ 'node-name': string; drv: string }[]>('query-named-block-nodes');
    expect(nodes).toContainEqual(expect.objectContaining({ 'node-name': 'null0', drv: 'null-co' }));
  });

  it('rejects an unknown command with a typed QmpError and stays usable', async () => {
    const error: unknown = await client()
      .execute('no-such-command')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpError);
    expect(error).toMatchObject({ class: 'CommandNotFound', command: 'no-such-command' });
    expect((error as QmpError).desc).toMatch(/no-such-command/);
    await expect(client().execute('query-version')).resolves.toBeDefined();
  });

  it('receives block job events', async () => {
    const size = 64 << 20;
    await client().execute('blockdev-add', { driver: 'null-co', 'node-name': 'src', size });
    await client().execute('blockdev-add', { driver: 'null-co', 'node-name': 'dst', size });
    const seen: QmpEvent[] = [];
    client().on('event', (event) => seen.push(event));
    const mark = client().mark();
    await client().execute('blockdev-backup', { 'job-id': 'bk0', device: 'src', target: 'dst', sync: 'full' });
    const completed = await client().waitForEvent<{ device: string; len: number; offset: number }>(
      'BLOCK_JOB_COMPLETED',
      (e) => e.data?.device === 'bk0',
      { since: mark, timeoutMs: 10_000 },
    );
    expect(completed.data).toMatchObject({ device: 'bk0', len: size, offset: size });
    await client().waitForEvent('JOB_STATUS_CHANGE', (e) => e.data?.['status'] === 'null', {
      since: mark,
      timeoutMs: 10_000,
    });
    const statuses = seen.filter((e) => e.event === 'JOB_STATUS_CHANGE').map((e) => e.data?.['status']);
    expect(statuses).toEqual(expect.arrayContaining(['created', 'running', 'concluded', 'null']));
  });

  it('quits: the daemon exits and the client sees the close', async () => {
    const closed = new Promise<Error | undefined>((resolve) => client().once('close', resolve));
    await client().execute('quit');
    const result = await daemon;
    expect(result?.exitCode).toBe(0);
    await closed;
    expect(client().closed).toBe(true);
    await expect(client().execute('query-version')).rejects.toBeInstanceOf(QmpConnectionError);
  });
});
