import { describe, expect, it } from 'vitest';
import { DuplicateMarkError, Timeline } from '../../src/measure/timeline.js';
import type { RunOptions } from '../../src/host/host.js';
import type { HostPair } from '../../src/lab/hosts.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import type { MigrationContext } from '../../src/strategy/context.js';
import { boot, kill } from '../../src/strategy/primitives.js';
import type { Workload } from '../../src/workload/workload.js';

/** A workload that records the calls the primitives make, and answers at fixed times. */
function fakeWorkload(firstAckNs: number) {
  const calls: string[] = [];
  const workload: Workload = {
    provisionStep: 'fake',
    provision: async () => void calls.push('provision'),
    start: async () => void calls.push('start'),
    endBaseline: async () => void calls.push('endBaseline'),
    kill: async () => void calls.push('kill'),
    boot: async (device) => {
      calls.push(`boot ${device}`);
      return firstAckNs;
    },
    waitDestAck: async (ns) => {
      calls.push(`waitDestAck ${ns}`);
      return ns;
    },
    stop: async () => void calls.push('stop'),
    verify: () => Promise.reject(new Error('not used')),
  };
  return { workload, calls };
}

/** Only what kill and boot read; a field they do not use is a test bug, not a silent undefined. */
function context(workload: Workload, healthMs: number): MigrationContext {
  const scenario = { bootCmd: undefined, healthMs } as Partial<Scenario> as Scenario;
  return { timeline: new Timeline(), scenario, workload, dest: { device: '/dev/loop-b' }, signal: new AbortController().signal } as Partial<MigrationContext> as MigrationContext;
}

describe('kill and boot act on the workload', () => {
  it('kill stops the workload on A between kill_start and kill_done', async () => {
    const { workload, calls } = fakeWorkload(0);
    const ctx = context(workload, 0);
    await kill(ctx);
    expect(calls).toEqual(['kill']);
    expect(ctx.timeline.get('kill_start')).toBeLessThanOrEqual(ctx.timeline.get('kill_done')!);
  });

  it('boot starts the workload on B, marks its first ack, runs onUp, then waits for the health window', async () => {
    const { workload, calls } = fakeWorkload(5_000_000);
    const ctx = context(workload, 2);
    const dest = await boot(ctx, undefined, async () => void calls.push('onUp'));
    expect(dest).toEqual({ device: '/dev/loop-b', firstAckNs: 5_000_000 });
    expect(calls).toEqual(['boot /dev/loop-b', 'onUp', 'waitDestAck 7000000']);
    expect(ctx.timeline.get('first_ack_dest')).toBe(5_000_000);
    expect(ctx.timeline.get('boot_start')).toBeDefined();
    expect(ctx.timeline.get('boot_done')).toBeDefined();
  });

  it('boot on another device (a clone) and no health window', async () => {
    const { workload, calls } = fakeWorkload(1);
    const dest = await boot(context(workload, 0), '/dev/mapper/clone');
    expect(dest.device).toBe('/dev/mapper/clone');
    expect(calls).toEqual(['boot /dev/mapper/clone']);
  });

  it('a second boot in one migration is an error, not a silently kept first time', async () => {
    const { workload } = fakeWorkload(1);
    const ctx = context(workload, 0);
    await boot(ctx);
    await expect(boot(ctx)).rejects.toBeInstanceOf(DuplicateMarkError);
  });

  it('boot runs the boot command on B, through its Host, before the workload starts there', async () => {
    const { workload, calls } = fakeWorkload(1);
    const ctx = context(workload, 0);
    ctx.scenario.bootCmd = 'echo up';
    const b = {
      run: async (cmd: string, args: readonly string[], opts?: RunOptions) => {
        calls.push(`B: ${cmd} ${args.join(' ')}${opts?.signal === ctx.signal ? ' (run signal)' : ''}`);
        return '';
      },
    };
    ctx.hosts = { a: {}, b } as Partial<HostPair> as HostPair;
    await boot(ctx);
    expect(calls).toEqual(['B: sh -c echo up (run signal)', 'boot /dev/loop-b']);
  });
});
