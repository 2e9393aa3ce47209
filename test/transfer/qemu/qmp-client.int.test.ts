import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QmpClient, QmpConnectionError, QmpError, type QmpEvent } from '../../../src/transfer/qemu/qmp-client.js';
import type { QmpVersion } from '../../../src/transfer/qemu/qmp-framing.js';

const DAEMON_OPTIONS = { reject: false, stdin: 'ignore' } as const;
type Daemon = ResultPromise<typeof DAEMON_OPTIONS>;

/**
 * Every QMP command migbench sends (src/strategy, src/transfer). Checked against the installed
 * daemon's own command list instead of pinning a QEMU release: any version that has them works.
 */
const COMMANDS_MIGBENCH_USES = [
  'qmp_capabilities',
  'quit',
  'blockdev-add',
  'blockdev-del',
  'blockdev-create',
  'blockdev-backup',
  'blockdev-mirror',
  'block-stream',
  'block-job-cancel',
  'block-dirty-bitmap-add',
  'transaction',
  'nbd-server-start',
  'block-export-add',
  'block-export-del',
  'query-jobs',
  'job-dismiss',
  'query-block-jobs',
  'query-named-block-nodes',
];

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

  it('negotiates capabilities; the greeting carries the same version query-version reports', async () => {
    // Negotiation already happened in connect(): a second qmp_capabilities is refused.
    await expect(client().execute('qmp_capabilities')).rejects.toMatchObject({ class: 'CommandNotFound' });
    const version = await client().execute<QmpVersion>('query-version');
    expect(client().greeting.QMP.version.qemu).toEqual(version.qemu);
    expect(Number.isInteger(version.qemu.major)).toBe(true);
  });

  it('offers every command migbench sends', async () => {
    const commands = await client().execute<{ name: string }[]>('query-commands');
    const names = new Set(commands.map((c) => c.name));
    expect(COMMANDS_MIGBENCH_USES.filter((name) => !names.has(name))).toEqual([]);
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
