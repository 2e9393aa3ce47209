import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localHost } from '../../../src/host/local-host.js';
import { onLines } from '../../../src/host/lines.js';
import { startUntilPidfile } from '../../../src/host/pidfile.js';
import type { HostProcess } from '../../../src/host/host.js';
import { Ledger } from '../../../src/lab/ledger.js';
import { ResourceScope } from '../../../src/lab/scope.js';
import { attachNbdAsLoop } from '../../../src/transfer/qemu/qsd.js';
import { startYieldingReader, yieldSummaryOf } from '../../../src/transfer/clone/hydration-yield-process.js';
import { yieldPolicy, type YieldSummary } from '../../../src/transfer/clone/hydration-yield.js';
import { drained } from '../../../src/workload/node-entry.js';
import { migbenchLeftovers } from '../../support/leftovers.js';

/** The state letter of `pid` in /proc (R, S, D, T…), or undefined once it is gone. */
function procState(pid: number): string | undefined {
  try {
    return /\) (\S) /.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** The reader's PID: the controller's child once it runs nbdcopy (before, the start-up shell's children come and go). */
async function readerPid(controller: number): Promise<number> {
  for (;;) {
    for (const c of readFileSync(`/proc/${controller}/task/${controller}/children`, 'utf8').trim().split(' ').filter(Boolean)) {
      if (comm(Number(c)) === 'nbdcopy') return Number(c);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

function comm(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * The yield controller on a real FUSE mount: an nbdkit export whose every request takes
 * 20 ms (the delay filter), mounted by nbdfuse and attached as a loop device as the qemu
 * clone does. The reader is an nbdcopy of the export; fio reading the loop device keeps
 * FUSE requests waiting, and the controller must stop the reader (its /proc state T) while
 * they do, and never without them.
 */
describe('the hydration reader yields to reads waiting on FUSE', () => {
  const state = mkdtempSync(join(tmpdir(), 'migbench-yield-'));
  const scope = new ResourceScope(new Ledger(`yield-${Math.random().toString(16).slice(2, 8)}`, state));
  let device = '';
  let uri = '';
  afterAll(async () => {
    await scope.close();
    rmSync(state, { recursive: true, force: true });
    expect(await migbenchLeftovers()).toEqual([]);
  });

  const setUp = async (): Promise<void> => {
    if (device) return;
    const sock = join(state, 'nbd.sock');
    await startUntilPidfile(scope, localHost, 'nbdkit', ['-f', '-U', sock, '-P', join(state, 'nbdkit.pid'), '--filter=delay', 'memory', '32M', 'rdelay=20ms', 'wdelay=20ms'], join(state, 'nbdkit.pid'), 'nbdkit');
    uri = `nbd+unix:///?socket=${sock}`;
    device = await attachNbdAsLoop(scope, uri, join(state, 'clone.raw'));
  };

  const runReader = async (reader: string[], during?: (proc: HostProcess, pid: number) => Promise<void>): Promise<{ summary: YieldSummary | undefined; exitCode: number | undefined; progress: number }> => {
    const proc = startYieldingReader(scope, localHost, join(state, 'clone.raw'), reader, yieldPolicy(3));
    let summary: YieldSummary | undefined;
    let progress = 0;
    onLines(proc.stdout!, (line) => {
      summary = yieldSummaryOf(line) ?? summary;
      if (/^\d+\/100$/.test(line.trim())) progress++;
    });
    if (during) await during(proc, await readerPid(proc.pid));
    const r = await proc.exited;
    await drained(proc.stdout!);
    return { summary, exitCode: r.exitCode, progress };
  };

  it('never pauses a reader while FUSE is idle', async () => {
    await setUp();
    const { summary, exitCode, progress } = await runReader(['nbdcopy', '--no-extents', '--requests=4', '--request-size=65536', '--progress=1', uri, 'null:']);
    expect(exitCode).toBe(0);
    expect(progress).toBeGreaterThan(0); // the reader's own stdout still reaches the caller
    expect(summary).toMatchObject({ pauses: 0, pausedMs: 0 });
    expect(summary!.polls).toBeGreaterThan(0);
  }, 60_000);

  it('stops the reader while reads wait on FUSE, and resumes it', async () => {
    await setUp();
    const states = new Set<string>();
    const { summary, exitCode } = await runReader(['nbdcopy', '--no-extents', '--requests=2', '--request-size=65536', '--progress=1', uri, 'null:'], async (_proc, pid) => {
      // 16 reads in flight on the device, each 20 ms at the export: FUSE always has some waiting.
      const fio = localHost.run('fio', ['--name=yield', `--filename=${device}`, '--direct=1', '--rw=randread', '--bs=4k', '--iodepth=16', '--ioengine=libaio', '--time_based', '--runtime=2', '--output=/dev/null']);
      let done = false;
      void fio.finally(() => (done = true));
      while (!done) {
        const s = procState(pid);
        if (s === undefined) break;
        states.add(s);
        await new Promise((r) => setTimeout(r, 2));
      }
      await fio;
    });
    expect(exitCode).toBe(0);
    expect(states.has('T')).toBe(true);
    expect(summary!.pauses).toBeGreaterThan(0);
    expect(summary!.pausedMs).toBeGreaterThan(0);
    expect(summary!.maxWaiting).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('takes a paused reader with it when the controller is killed', async () => {
    await setUp();
    let reader = 0;
    const { exitCode } = await runReader(['nbdcopy', '--no-extents', '--requests=1', '--request-size=65536', uri, 'null:'], async (proc, pid) => {
      reader = pid;
      const fio = localHost.run('fio', ['--name=yield', `--filename=${device}`, '--direct=1', '--rw=randread', '--bs=4k', '--iodepth=16', '--ioengine=libaio', '--time_based', '--runtime=3', '--output=/dev/null']);
      while (procState(pid) !== 'T') await new Promise((r) => setTimeout(r, 2));
      await proc.stop('SIGKILL');
      await fio;
    });
    expect(exitCode).toBeUndefined(); // killed
    // PR_SET_PDEATHSIG: the stopped reader is SIGKILLed with its parent, not orphaned.
    for (let i = 0; i < 500 && procState(reader) !== undefined && procState(reader) !== 'Z'; i++) await new Promise((r) => setTimeout(r, 10));
    expect([undefined, 'Z']).toContain(procState(reader));
  }, 60_000);
});
