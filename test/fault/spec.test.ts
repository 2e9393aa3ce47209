import { describe, expect, it } from 'vitest';
import { faultPhaseProblem, strategyPhases } from '../../src/fault/phases.js';
import { FaultSpecError, parseFaultSpec } from '../../src/fault/spec.js';
import { STRATEGIES } from '../../src/strategy/registry.js';
import { resolveStrategies } from '../../src/strategy/registry.js';
import { DEFAULTS, ScenarioError, validateScenario } from '../../src/scenario/scenario.js';

describe('parseFaultSpec', () => {
  it('reads the issue examples', () => {
    expect(parseFaultSpec('link-down@hydration+2s/3s')).toEqual({ text: 'link-down@hydration+2s/3s', kind: 'link-down', phase: { name: 'hydration' }, delayMs: 2000, durationMs: 3000 });
    expect(parseFaultSpec('source-crash@hydration:50%')).toMatchObject({ kind: 'source-crash', phase: { name: 'hydration', percent: 50 }, delayMs: 0, durationMs: undefined });
    expect(parseFaultSpec('dest-crash@hydration:50%')).toMatchObject({ kind: 'dest-crash', phase: { name: 'hydration', percent: 50 } });
    expect(parseFaultSpec('slow-source:50ms@kill/5s')).toMatchObject({ kind: 'slow-source', latencyMs: 50, phase: { name: 'kill' }, durationMs: 5000 });
    expect(parseFaultSpec('slow-source:20Mbit/s@kill/5s')).toMatchObject({ kind: 'slow-source', rateBps: 20e6, durationMs: 5000 });
    expect(parseFaultSpec('link-flap:5@start/10s')).toMatchObject({ kind: 'link-flap', flaps: 5, phase: { name: 'start' }, durationMs: 10_000 });
    expect(parseFaultSpec('source-eio@hydration:20%/2s')).toMatchObject({ kind: 'source-eio', phase: { name: 'hydration', percent: 20 }, durationMs: 2000 });
    expect(parseFaultSpec('source-restart@round:1+500ms/2s')).toMatchObject({ kind: 'source-restart', phase: { name: 'round', round: 1 }, delayMs: 500, durationMs: 2000 });
    expect(parseFaultSpec('link-down@mirror-ready/1s')).toMatchObject({ phase: { name: 'mirror-ready' } });
    expect(parseFaultSpec('link-down@boot+0s/1s')).toMatchObject({ phase: { name: 'boot' }, delayMs: 0 });
  });

  it.each([
    ['link-down', /expected KIND/],
    ['meteor@start', /unknown fault kind "meteor"/],
    ['link-down@lunch/1s', /unknown phase "lunch"/],
    ['link-down@start', /needs a \/DURATION/],
    ['source-crash@start/2s', /takes no \/DURATION/],
    ['dest-crash@boot/2s', /takes no \/DURATION/],
    ['link-flap@start/2s', /number of outages/],
    ['link-flap:0@start/2s', /number of outages/],
    ['slow-source@start/2s', /latency or a rate/],
    ['slow-source:fast@start/2s', /latency "fast"/],
    ['source-crash:3@start', /takes no argument/],
    ['link-down@hydration:150%/1s', /N from 0 to 100/],
    ['link-down@hydration:50/1s', /hydration:N%/],
    ['link-down@round/1s', /round:N/],
    ['link-down@round:x/1s', /round:N/],
    ['link-down@kill:3/1s', /takes no argument/],
    ['link-down@start+soon/1s', /delay "soon"/],
    ['link-down@start/0s', /greater than 0/],
  ])('refuses %s', (text, why) => {
    expect(() => parseFaultSpec(text)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(text)).toThrow(why);
  });
});

describe('fault phases', () => {
  const strategies = (names: string) => names.split(',').map((n) => STRATEGIES.get(n)!);

  it('every strategy starts, kills and boots; only some hydrate, iterate or mirror', () => {
    for (const s of STRATEGIES.values()) expect(s.phases).toEqual(expect.arrayContaining(['start', 'kill', 'boot']));
    expect(strategyPhases('async-clone')).toContain('hydration');
    expect(strategyPhases('precopy')).toContain('round');
    expect(strategyPhases('mirror')).toContain('mirror-ready');
    expect(strategyPhases('kill-copy-boot')).not.toContain('hydration');
  });

  it('refuses a phase a chosen strategy never reaches, naming it', () => {
    expect(faultPhaseProblem(parseFaultSpec('link-down@hydration/1s'), strategies('async-clone'))).toBeUndefined();
    expect(faultPhaseProblem(parseFaultSpec('link-down@hydration/1s'), strategies('async-clone,kill-copy-boot'))).toMatch(/phase hydration never comes in kill-copy-boot/);
    expect(faultPhaseProblem(parseFaultSpec('link-down@round:1/1s'), strategies('precopy'))).toBeUndefined();
    expect(faultPhaseProblem(parseFaultSpec('link-down@round:1/1s'), strategies('mirror'))).toMatch(/never comes in mirror/);
    expect(faultPhaseProblem(parseFaultSpec('link-down@kill+0s/2s'), strategies('kill-copy-boot,precopy,mirror,backup-restore'))).toBeUndefined();
  });

  it('refuses export faults for strategies that serve A through qemu-storage-daemon, and dest-crash without a clone', () => {
    expect(faultPhaseProblem(parseFaultSpec('source-eio@kill/1s'), strategies('precopy'))).toMatch(/nbdkit export/);
    expect(faultPhaseProblem(parseFaultSpec('source-eio@kill/1s'), strategies('kill-copy-boot,async-clone'))).toBeUndefined();
    expect(faultPhaseProblem(parseFaultSpec('dest-crash@hydration:50%'), strategies('async-clone'))).toBeUndefined();
    expect(faultPhaseProblem(parseFaultSpec('dest-crash@kill+1s'), strategies('async-clone,kill-copy-boot'))).toMatch(/dest-crash needs a clone.*not kill-copy-boot/);
  });
});

describe('--fault in a scenario', () => {
  const raw = { ...DEFAULTS, strategy: 'async-clone', size: '64MiB' };
  it('none is no fault; a spec is parsed', () => {
    expect(validateScenario(raw, resolveStrategies).fault).toBeUndefined();
    expect(validateScenario({ ...raw, fault: 'link-down@hydration+2s/3s' }, resolveStrategies).fault).toMatchObject({ kind: 'link-down', delayMs: 2000 });
  });
  it('refuses a bad spec naming the option, and a fault with several volumes', () => {
    expect(() => validateScenario({ ...raw, fault: 'link-down@x/1s' }, resolveStrategies)).toThrow(/--fault: unknown phase/);
    expect(() => validateScenario({ ...raw, fault: 'link-down@kill/1s', volumes: '2' }, resolveStrategies)).toThrow(ScenarioError);
  });
});
