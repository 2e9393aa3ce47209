import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostPair } from '../lab/hosts.js';
import { txBytes } from '../lab/hosts.js';
import { createLoopDevice } from '../lab/loop-device.js';
import type { LinkMeasurement } from '../lab/link-probe.js';
import { startNbdExport, type NbdExport } from '../lab/nbd-export.js';
import { exportPort } from '../lab/ports.js';
import { ResourceScope } from '../lab/scope.js';
import { latestAcks, type Journal } from '../measure/journal.js';
import { migrationMetrics } from '../measure/metrics.js';
import { scanDevice } from '../measure/scan-device.js';
import { staleReads } from '../measure/stale-reads.js';
import { Timeline } from '../measure/timeline.js';
import { divergedBytes } from '../measure/verifier.js';
import type { Scenario } from '../scenario/scenario.js';
import type { CloneBackend } from '../transfer/clone/backend.js';
import { fillVolume } from '../workload/fill.js';
import { Instance } from '../workload/instance.js';
import type { MigrationContext, Strategy } from './context.js';
import { startReadProbe, stampedReadRate } from './read-probe.js';
import type { RepetitionResult } from '../results/repetition-result.js';
import { sleep } from '../lab/wait.js';
import { SOURCE_EPOCH } from '../workload/epochs.js';

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
  /** Volume number within a drain (`--volumes`): names its devices and work dir, offsets its ports. */
  volume?: number;
  /** Awaited after the baseline, right before the migration starts (a drain's start barrier and stagger). */
  beforeStart?: () => Promise<void>;
}

/**
 * Runs a repetition's `body` in a child scope that is closed whatever happens; `enter`
 * names the step being run (progress display), and a failure says which step it was.
 */
export async function inRepetition<T>(input: RepetitionInput, body: (scope: ResourceScope, enter: (step: string) => void) => Promise<T>): Promise<T> {
  const scope = new ResourceScope(input.scope.ledger);
  let step = 'provision';
  const enter = (name: string): void => {
    step = name;
    input.onStep(name);
  };
  try {
    return await body(scope, enter);
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
export async function provisionRepetition(scope: ResourceScope, input: RepetitionInput): Promise<{ workDir: string; sourceDevice: string; destDevice: string }> {
  const name = `${input.strategy.name}-${input.rep}${volumeSuffix(input.volume)}`;
  const workDir = join(input.workDir, name);
  await scope.acquire({ kind: 'dir', path: workDir }, () => mkdir(workDir, { recursive: true }), () => rm(workDir, { recursive: true, force: true }));
  const stem = join(input.scenario.backingDir, `migbench-${input.runId}-${name}`);
  const sourceDevice = await createLoopDevice(scope, `${stem}-src.img`, input.scenario.sizeBytes);
  const destDevice = await createLoopDevice(scope, `${stem}-dst.img`, input.scenario.sizeBytes);
  return { workDir, sourceDevice, destDevice };
}

/**
 * nbdkit serving the source from A's namespace, with the link's latency (`--latency`) as
 * its delay filter; each volume of a drain on a port of its own.
 */
export function exportSource(scope: ResourceScope, input: RepetitionInput, workDir: string, sourceDevice: string): Promise<NbdExport> {
  return startNbdExport(scope, input.hosts.a, {
    plugin: ['file', `file=${sourceDevice}`],
    latencyMs: input.scenario.latencyMs,
    workDir,
    name: 'source',
    port: exportPort('source', input.volume),
  });
}

/** Suffix of a drain volume's names (empty outside a drain). */
export const volumeSuffix = (volume: number | undefined): string => (volume === undefined ? '' : `-v${volume}`);

/**
 * One strategy × repetition on fresh devices: fill the source, export it from A, run the
 * workload on A for the baseline window, migrate, let the destination run for the settle
 * window, stop everything, then read the destination and compare it with the journal.
 * Every resource lives in a child scope that is closed whatever happens.
 */
export async function runRepetition(input: RepetitionInput): Promise<RepetitionResult> {
  const { scenario: s, strategy, hosts, signal } = input;
  const blocks = s.sizeBytes / s.blockSize;
  const timeline = new Timeline();
  return inRepetition(input, async (scope, enter) => {
    enter('provision');
    const { workDir, sourceDevice, destDevice } = await provisionRepetition(scope, input);

    enter('fill');
    const fill = await fillVolume(sourceDevice, s.blockSize, blocks);

    enter('export');
    const exp = await exportSource(scope, input, workDir, sourceDevice);

    // A strategy may put the source behind a tracked / mirrored device first (precopy, mirror, backup-restore).
    const prepared = strategy.prepareSource ? (enter('prepare source'), await strategy.prepareSource({ scope, scenario: s, hosts, workDir, sourceDevice, signal, volume: input.volume })) : undefined;

    enter('warmup');
    timeline.mark('warmup_start');
    const sourceInstance = Instance.start(
      scope,
      { device: prepared?.device ?? sourceDevice, epoch: SOURCE_EPOCH, blockSize: s.blockSize, blocks, writeRateBps: s.writeRateBps, readRate: stampedReadRate(s), seed: 0x0a00 + input.rep },
      hosts.a.netns,
    );
    await sourceInstance.waitFirstAck(signal);
    const sourceProbe = startReadProbe(scope, s, prepared?.device ?? sourceDevice, hosts.a.netns, workDir, 'source');
    await sleep(s.warmupMs, signal);
    await input.beforeStart?.();

    const ctx: MigrationContext = {
      scope,
      scenario: s,
      hosts,
      link: input.link,
      timeline,
      workDir,
      source: { device: sourceDevice, export: exp, instance: sourceInstance, ...(prepared?.tracked ? { tracked: prepared.tracked } : {}), ...(prepared?.dirty ? { dirty: prepared.dirty } : {}) },
      dest: { device: destDevice },
      signal,
      hydrated: 0,
      afterStop: [],
      cloneBackend: input.cloneBackend,
      volume: input.volume,
    };
    // The baseline ends where the migration starts.
    const sourceProbeReads = await sourceProbe?.stop();
    enter(strategy.name);
    const { wireBytes, sampler } = await migrate(ctx, strategy);

    enter('settle');
    await sleep(s.settleMs, signal);
    const destInstance = ctx.dest.instance;
    if (!destInstance) throw new Error(`strategy ${strategy.name} never booted the destination`);
    const destProbeReads = await ctx.dest.probe?.stop();
    await destInstance.stop();
    await sourceInstance.stop();
    timeline.mark('end');
    await sampler.final();
    for (const step of ctx.afterStop) await step();

    enter('verify');
    const journal: Journal = {
      blockSize: s.blockSize,
      blocks,
      fill,
      acks: [...sourceInstance.acks, ...destInstance.acks],
      reads: [...sourceInstance.reads, ...destInstance.reads],
    };
    const latest = latestAcks(journal);
    const verification = await scanDevice(destDevice, s.blockSize, blocks, latest);
    const firstAckDest = timeline.get('first_ack_dest')!;
    const diverged = divergedBytes(latest, s.blockSize, new Map([[destInstance.epoch, firstAckDest]]));
    const stale = staleReads(journal);
    const lastAckSource = sourceInstance.lastAckNs ?? timeline.get('start')!;
    timeline.mark('last_ack_source', lastAckSource);
    const metrics = migrationMetrics(timeline, lastAckSource, firstAckDest, sourceProbeReads ?? sourceInstance.reads, destProbeReads ?? destInstance.reads);
    return {
      strategy: strategy.name,
      rep: input.rep,
      status: 'ok',
      error: '',
      metrics,
      verification: { ...verification, divergedBytes: diverged },
      staleReads: stale.stale,
      ackedWrites: journal.acks.length,
      bytesOnWire: wireBytes,
      copySeconds: ctx.copySeconds,
      backend: ctx.backend,
      timeline,
      ...(ctx.precopy ? { precopy: ctx.precopy } : {}),
      reads: s.probe === 'fio' ? [...(sourceProbeReads ?? []), ...(destProbeReads ?? [])] : journal.reads,
      acks: journal.acks,
    };
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
 * hydration progress, and returns the bytes A sent meanwhile (interface counter) and the
 * sampler (for its final sample once everything has stopped).
 */
export async function migrate(ctx: MigrationContext, strategy: Strategy): Promise<{ wireBytes: number; sampler: ReturnType<typeof startSampler> }> {
  const tx0 = await txBytes(ctx.hosts.a);
  const sampler = startSampler(ctx, ctx.scenario.windowMs);
  ctx.timeline.mark('start');
  try {
    await strategy.run(ctx);
  } finally {
    await sampler.stop();
  }
  return { wireBytes: (await txBytes(ctx.hosts.a)) - tx0, sampler };
}

/** Samples bytes on the wire and hydration progress every `windowMs`. */
export function startSampler(ctx: MigrationContext, windowMs: number) {
  let busy = false;
  const take = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      ctx.timeline.samples.push({ tNs: Timeline.now(), txBytes: await txBytes(ctx.hosts.a), hydrated: ctx.hydrated });
    } finally {
      busy = false;
    }
  };
  void take();
  const timer = setInterval(() => void take(), windowMs);
  // Stopping takes one last sample: the state the strategy ended in (hydrated = 1).
  return {
    stop: (): Promise<void> => {
      clearInterval(timer);
      return take();
    },
    final: take,
  };
}
