import { describe, expect, it } from 'vitest';
import type { HostProcess } from '../../src/host/host.js';
import type { HostPair } from '../../src/lab/hosts.js';
import type { Ledger } from '../../src/lab/ledger.js';
import { ResourceScope } from '../../src/lab/scope.js';
import { Timeline } from '../../src/measure/timeline.js';
import { FaultInjector } from '../../src/fault/injector.js';
import { parseFaultSpec } from '../../src/fault/spec.js';

/** Hosts that record the commands run on them instead of running them. */
function fakeHosts(log: string[]): HostPair {
  const host = (label: string, iface: string) => ({ label, iface, run: async (cmd: string, args: readonly string[]) => (log.push(`${label}: ${cmd} ${args.join(' ')}`), '') });
  return { a: host('A', 'a0'), b: host('B', 'b0'), link: { rateBps: 1e8 } } as unknown as HostPair;
}

const scope = (): ResourceScope => new ResourceScope({ intend: () => 0, released: () => undefined } as unknown as Ledger);
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(spec: string) {
  const log: string[] = [];
  const timeline = new Timeline();
  const killed: string[] = [];
  const daemon = { stop: async (sig?: string) => void killed.push(sig ?? 'TERM') } as unknown as HostProcess;
  const s = scope();
  const injector = FaultInjector.start(
    s,
    parseFaultSpec(spec),
    { hosts: fakeHosts(log), timeline, progress: () => 0, sourceDaemons: () => [daemon], restartSource: async () => void log.push('restart'), workDir: '/nonexistent' },
    new AbortController().signal,
  );
  return { log, timeline, killed, injector, scope: s };
}

describe('FaultInjector', () => {
  it('waits for its phase and delay, takes both link ends down, brings them up after the duration, marks the window', async () => {
    const { log, timeline, injector } = setup('link-down@kill+20ms/50ms');
    await wait(30);
    expect(log).toEqual([]);
    const kill = timeline.mark('kill_start');
    await wait(40);
    expect(log).toEqual(['A: ip link set dev a0 down', 'B: ip link set dev b0 down']);
    await wait(80);
    expect(log.slice(2)).toEqual(['A: ip link set dev a0 up', 'B: ip link set dev b0 up']);
    const r = await injector.finish();
    expect((r.startNs! - kill) / 1e6).toBeGreaterThanOrEqual(20);
    expect((r.endNs! - r.startNs!) / 1e6).toBeGreaterThanOrEqual(50);
    expect(timeline.get('fault_start')).toBe(r.startNs);
    expect(timeline.get('fault_end')).toBe(r.endNs);
    expect(r.warnings).toEqual([]);
  });

  it('undoes a fault still on when the scope closes (a failed repetition)', async () => {
    const { log, timeline, scope: s } = setup('link-down@start/10s');
    timeline.mark('start');
    await wait(30);
    expect(log).toHaveLength(2);
    await s.close();
    expect(log.slice(2)).toEqual(['A: ip link set dev a0 up', 'B: ip link set dev b0 up']);
    expect(timeline.get('fault_end')).toBeDefined();
  });

  it('announced phases (precopy rounds) start it; a phase that never comes is a warning', async () => {
    const { injector, log } = setup('link-flap:2@round:1/40ms');
    injector.reached('round:1');
    await wait(100);
    expect(log.filter((l) => l.includes('down'))).toHaveLength(4);
    expect(log.at(-1)).toMatch(/up$/);
    const never = setup('link-down@mirror-ready/1s');
    const r = await never.injector.finish();
    expect(r.startNs).toBeUndefined();
    expect(r.warnings.join()).toMatch(/phase mirror-ready never came/);
    expect(never.log).toEqual([]);
  });

  it('source-crash kills the source daemons with SIGKILL and says the source is lost', async () => {
    const { injector, timeline, killed } = setup('source-crash@start');
    timeline.mark('start');
    await wait(30);
    expect(killed).toEqual(['SIGKILL']);
    expect(injector.sourceLost()).toBe(true);
    const r = await injector.finish();
    expect(r.sourceLost).toBe(true);
    expect(r.endNs).toBeUndefined();
  });

  it('source-restart starts the source again after the duration', async () => {
    const { injector, timeline, killed, log } = setup('source-restart@start/30ms');
    timeline.mark('start');
    await wait(10);
    expect(killed).toEqual(['SIGKILL']);
    await injector.ended(new AbortController().signal);
    expect(log).toEqual(['restart']);
  });
});
