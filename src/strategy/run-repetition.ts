import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Host, HostPair } from '../lab/hosts.js';
import { txBytes } from '../lab/hosts.js';
import { ledgerHost } from '../host/ledger-host.js';
import { createLoopDevice } from '../lab/loop-device.js';
import type { LinkMeasurement } from '../lab/link-probe.js';
import { startNbdExport, type NbdExport } from '../lab/nbd-export.js';
import { exportPort } from '../lab/ports.js';
import { ResourceScope } from '../lab/scope.js';
import { migrationMetrics } from '../measure/metrics.js';
import { Timeline } from '../measure/timeline.js';
import type { Scenario } from '../scenario/scenario.js';
import type { CloneBackend } from '../transfer/clone/backend.js';
import { createWorkload } from '../workload/create.js';
import type { MigrationContext, Strategy, StrategyOutcome } from './context.js';
import { repetitionResult } from './repetition-result.js';
import type { RepetitionResult } from '../results/repetition-result.js';
import { sleep } from '../lab/wait.js';
import { testAbortHook } from './test-abort-hook.js';
import { attachFault } from '../fault/attach.js';
import { classifySourceLoss, endOnLostSource, loopAllocatedBytes } from '../fault/lost-source.js';
import { sourceExportFilters } from '../fault/source-files.js';
import { cpuSecondsSince, hostCpuSeconds, type HostCpuSeconds } from './host-cpu.js';
import { StepClock } from './step-clock.js';

export interface RepetitionInput {
  scope: ResourceScope;
  runId: string;
  scenario: Scenario;
  hosts: HostPair;
  link: LinkMeasurement;
  strategy: Strategy;
  cloneBackend: CloneBackend | undefined;
  rep: number;
  workDir: string;
  signal: AbortSignal;
  /** Reports the step being run, for the progress display and for failure messages. */
  onStep: (step: string) => void;
  /**
   * How far the migration got, in [0, 1], at every sample while the strategy runs: the
   * hydrated fraction it reports or the bytes A sent over the volume size, whichever is
   * further (a copy's own report moves in 128 MiB steps). For the progress display.
   */
  onProgress?: (fraction: number) => void;
  /** Volume number within a drain (`--volumes`): names its devices and work dir, offsets its ports. */
  volume?: number;
  /** Awaited after the baseline, right before the migration starts (a drain's start barrier and stagger). */
  beforeStart?: () => Promise<void>;
}

/**
 * Runs a repetition's `body` in a child scope that is closed whatever happens; `enter`
 * names the step being run (progress display), and a failure says which step it was.
 */
async function inRepetition<T>(input: RepetitionInput, body: (scope: ResourceScope, enter: (step: string) => void, clock: StepClock) => Promise<T>): Promise<T> {
  const scope = new ResourceScope(input.scope.ledger);
  let step = 'provision';
  let index = 0;
  const clock = new StepClock();
  const enter = (name: string): void => {
    step = name;
    clock.enter(name);
    input.onStep(name);
    testAbortHook(name, ++index);
  };
  try {
    return await body(scope, enter, clock);
  } catch (err) {
    throw new RepetitionError(step, err);
  } finally {
    await scope.close();
  }
}

/**
 * A repetition's own work directory and fresh source and destination loop devices over
 * sparse files in `--backing-dir`, named by run, strategy, repetition and drain volume.
 */
async function provisionRepetition(scope: ResourceScope, input: RepetitionInput): Promise<{ workDir: string; sourceDevice: string; destDevice: string }> {
  const name = `${input.strategy.name}-${input.rep}${volumeSuffix(input.volume)}`;
  const workDir = join(input.workDir, name);
  await scope.acquire({ kind: 'dir', path: workDir }, () => mkdir(workDir, { recursive: true }), () => rm(workDir, { recursive: true, force: true }));
  // A real host keeps its part of the work directory under its data directory.
  for (const h of [input.hosts.a, input.hosts.b]) await acquireHostWorkDir(scope, h, workDir);
  // Each on the host that uses it: the source on A, the destination on B; a real host's
  // backing files go to its data directory.
  const stem = (h: Host): string => join(h.dataDir ?? input.scenario.backingDir, `migbench-${input.runId}-${name}`);
  const sourceDevice = await createLoopDevice(scope, `${stem(input.hosts.a)}-src.img`, input.scenario.sizeBytes, { host: input.hosts.a });
  const destDevice = await createLoopDevice(scope, `${stem(input.hosts.b)}-dst.img`, input.scenario.sizeBytes, { host: input.hosts.b });
  return { workDir, sourceDevice, destDevice };
}

/** `workDir` on `host`, when the host keeps it elsewhere (a real host): made there, in its ledger. */
export async function acquireHostWorkDir(scope: ResourceScope, host: Host, workDir: string): Promise<void> {
  if (!host.workPath) return;
  const dir = host.workPath(workDir);
  await scope.acquire({ kind: 'dir', path: dir, ...ledgerHost(host) }, () => host.run('mkdir', ['-p', dir]), async () => {
    await host.run('rm', ['-rf', dir]);
  });
}

/**
 * nbdkit serving the source from A's namespace, with the link's latency (`--latency`) as
 * its delay filter; each volume of a drain on a port of its own.
 */
async function exportSource(scope: ResourceScope, input: RepetitionInput, workDir: string, sourceDevice: string, name = 'source'): Promise<NbdExport> {
  return startNbdExport(scope, input.hosts.a, {
    plugin: ['file', `file=${sourceDevice}`],
    latencyMs: input.scenario.latencyMs,
    workDir,
    name,
    port: exportPort('source', input.volume),
    // A fault's triggers (source-eio, slow-source:RATE), only when the fault needs them.
    extraFilters: await sourceExportFilters(scope, input.scenario.fault, workDir, input.hosts.a),
  });
}

/** Suffix of a drain volume's names (empty outside a drain). */
const volumeSuffix = (volume: number | undefined): string => (volume === undefined ? '' : `-v${volume}`);

/**
 * One strategy × repetition on fresh devices, for every workload (`--workload`): lay the
 * workload's initial state on the source volume, export it from A, let the strategy put
 * it behind what it needs, run the workload on A for the baseline window, migrate, let
 * the destination run for the settle window, stop everything, run the strategy's
 * after-stop steps, then let the workload check the destination. Every resource lives in
 * a child scope that is closed whatever happens.
 */
export async function runRepetition(input: RepetitionInput): Promise<RepetitionResult> {
  const { scenario: s, strategy, hosts, signal } = input;
  const timeline = new Timeline();
  return inRepetition(input, async (scope, enter, clock) => {
    enter('provision');
    const { workDir, sourceDevice, destDevice } = await provisionRepetition(scope, input);
    const workload = createWorkload({ scope, scenario: s, hosts, workDir, signal, rep: input.rep, ...(input.volume !== undefined ? { volume: input.volume } : {}) });

    enter(workload.provisionStep);
    await workload.provision(sourceDevice);

    enter('export');
    const exp = await exportSource(scope, input, workDir, sourceDevice);

    // A strategy may put the source behind a tracked / mirrored device first (precopy, mirror, backup-restore).
    const prepared = strategy.prepareSource ? (enter('prepare source'), await strategy.prepareSource({ scope, scenario: s, hosts, workDir, sourceDevice, signal, volume: input.volume })) : undefined;

    enter('warmup');
    timeline.mark('warmup_start');
    await workload.start(prepared?.device ?? sourceDevice);
    await sleep(s.warmupMs, signal);
    await input.beforeStart?.();

    let hydrated = 0;
    const ctx: MigrationContext = {
      scope,
      scenario: s,
      hosts,
      link: input.link,
      timeline,
      workDir,
      source: { device: sourceDevice, export: exp, ...(prepared?.tracked ? { tracked: prepared.tracked } : {}), ...(prepared?.dirty ? { dirty: prepared.dirty } : {}) },
      dest: { device: destDevice },
      workload,
      signal,
      progress: (fraction) => {
        hydrated = fraction;
      },
      cloneBackend: input.cloneBackend,
      volume: input.volume,
    };
    // `--fault` (issue 12): injected at its phase, undone at its end or with the scope.
    const fault = attachFault(scope, ctx, () => hydrated, () => exportSource(scope, input, workDir, sourceDevice, 'source-restarted'));
    ctx.fault = fault?.injector;
    // The baseline ends where the migration starts.
    await workload.endBaseline();
    enter(strategy.name);
    const { outcome, wireBytes, cpuSeconds, sampler } = await migrate(ctx, strategy, () => hydrated, input.onProgress);

    enter('settle');
    await sleep(s.settleMs, signal);
    const faultRecord = await fault?.finish();
    await workload.stop();
    timeline.mark('end');
    await sampler.final();
    for (const step of outcome.afterStop ?? []) await step();

    enter('verify');
    const figures = await workload.verify(destDevice, timeline);
    clock.stop();
    // maxRSS: the orchestrator's peak so far in the run (KiB), this repetition included.
    const harness = { fillMs: clock.ms(workload.provisionStep), verifyMs: clock.ms('verify'), peakRssMiB: process.resourceUsage().maxRSS / 1024 };
    const lastAckSource = timeline.mark('last_ack_source', figures.lastAckSourceNs ?? timeline.get('start')!);
    const metrics = migrationMetrics(timeline, lastAckSource, outcome.dest.firstAckNs, figures.metricReads.source, figures.metricReads.dest);
    return repetitionResult({ strategy: strategy.name, rep: input.rep, volume: input.volume, timeline, metrics, wireBytes, outcome, figures, cpuSeconds, fault: faultRecord, harness });
  });
}

/** A repetition that failed at a named step. */
export class RepetitionError extends Error {
  override readonly name = 'RepetitionError';
  constructor(readonly step: string, cause: unknown) {
    super(`step "${step}" failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/**
 * The migration itself: marks `start`, runs the strategy while sampling the link and the
 * progress it reports (`hydrated`), and returns its outcome, the bytes A sent meanwhile
 * (interface counter), the CPU seconds each host's cgroup used meanwhile, and the sampler
 * (for its final sample once everything has stopped).
 */
async function migrate(
  ctx: MigrationContext,
  strategy: Strategy,
  hydrated: () => number,
  onProgress: ((fraction: number) => void) | undefined,
): Promise<{ outcome: StrategyOutcome; wireBytes: number; cpuSeconds: HostCpuSeconds; sampler: Sampler }> {
  const cpu0 = await hostCpuSeconds(ctx.hosts);
  const tx0 = await txBytes(ctx.hosts.a);
  let migrating = true;
  const report = onProgress && ((s: Sample): void => {
    if (migrating) onProgress(Math.max(s.hydrated, Math.min(1, (s.txBytes - tx0) / ctx.scenario.sizeBytes)));
  });
  const sampler = startSampler(ctx.hosts.a, ctx.timeline, ctx.scenario.windowMs, hydrated, report);
  ctx.timeline.mark('start');
  let outcome: StrategyOutcome;
  try {
    outcome = await strategy.run(ctx).catch(async (error: unknown) => {
      // Issue 12: a source lost for good is a result (B boots on what it has), not a failure.
      const lost = classifySourceLoss({ sourceLost: !!ctx.fault?.sourceLost(), aborted: ctx.signal.aborted, progress: hydrated(), presentBytes: ctx.fault?.sourceLost() ? await loopAllocatedBytes(ctx.dest.device, ctx.hosts.b) : undefined, sizeBytes: ctx.scenario.sizeBytes, error });
      if (!lost) throw error;
      return endOnLostSource(ctx, lost);
    });
  } finally {
    await sampler.stop();
    migrating = false;
  }
  const wireBytes = (await txBytes(ctx.hosts.a)) - tx0;
  return { outcome, wireBytes, cpuSeconds: cpuSecondsSince(cpu0, await hostCpuSeconds(ctx.hosts)), sampler };
}

/** Takes samples until stopped. */
interface Sampler {
  /** Stops sampling, with one last sample: the state the strategy ended in (hydrated = 1). */
  stop(): Promise<void>;
  /** One more sample, once everything has stopped. */
  final(): Promise<void>;
}

/** One sample of the link counter and the reported progress. */
type Sample = Timeline['samples'][number];

/**
 * Samples the bytes `a` has sent and the progress `hydrated` reports into `timeline` every
 * `windowMs`, passing each sample to `onSample` too.
 */
function startSampler(a: Host, timeline: Timeline, windowMs: number, hydrated: () => number, onSample?: (s: Sample) => void): Sampler {
  let busy = false;
  const take = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const sample: Sample = { tNs: Timeline.now(), txBytes: await txBytes(a), hydrated: hydrated() };
      timeline.samples.push(sample);
      onSample?.(sample);
    } finally {
      busy = false;
    }
  };
  // A failed background sample is kept for stop() to throw: an unhandled rejection would
  // end the process without releasing the lab (an interrupted `ip` did).
  let failure: unknown;
  const tick = (): void => void take().catch((err: unknown) => (failure ??= err));
  tick();
  const timer = setInterval(tick, windowMs);
  return {
    stop: (): Promise<void> => {
      clearInterval(timer);
      if (failure !== undefined) return Promise.reject(failure as Error);
      return take();
    },
    final: take,
  };
}
