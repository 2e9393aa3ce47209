import { latestAcks, type Journal } from '../measure/journal.js';
import { scanDevice } from '../measure/scan-device.js';
import { staleReads } from '../measure/stale-reads.js';
import type { Timeline } from '../measure/timeline.js';
import { forkedBlocks } from '../measure/verifier.js';
import type { LatencySample } from './fio-log.js';
import type { FioProbe } from './fio-probe.js';
import { fillVolume } from './fill.js';
import { fillVolumeOn, scanDeviceOn } from './device-stream.js';
import { Instance } from './instance.js';
import type { InstanceConfig } from './instance-config.js';
import { startReadProbe, stampedReadRate } from './read-probe.js';
import { WorkloadStateError, type Workload, type WorkloadEnv, type WorkloadFigures } from './workload.js';

import { DEST_EPOCH, DEST_REBOOT_EPOCH, SOURCE_EPOCH } from './epochs.js';
import { ioErrorCounts } from '../fault/io-errors.js';

/**
 * The stamped block workload: the volume is filled with stamped blocks, an instance
 * writes (and reads) stamped blocks on A, a second one on B after boot, and the
 * destination device is checked against the journal of every acknowledged write.
 * With `--probe fio` (the default), fio does the timed reads on each side and the instances
 * keep checking what they read at a lower rate (`stampedReadRate`).
 */
export class StampedWorkload implements Workload {
  readonly provisionStep = 'fill';
  private readonly blocks: number;
  private fill: { stampNs: number; ackNs: number } | undefined;
  private source: Instance | undefined;
  private sourceProbe: FioProbe | undefined;
  private sourceProbeReads: LatencySample[] | undefined;
  private dest: Instance | undefined;
  private destProbe: FioProbe | undefined;
  private destProbeReads: LatencySample[] | undefined;
  /** B's instances a dest-crash killed, and their probes' reads: their acks must survive. */
  private readonly crashed: Instance[] = [];
  private readonly crashedProbeReads: LatencySample[] = [];
  /** First ack of the instance booted again after a dest-crash. */
  private rebootAckNs: number | undefined;

  constructor(private readonly env: WorkloadEnv) {
    this.blocks = env.scenario.sizeBytes / env.scenario.blockSize;
  }

  async provision(sourceDevice: string): Promise<void> {
    const { scope, hosts, scenario: s } = this.env;
    // A real host's device is written there (this machine shares the lab's devices).
    this.fill = hosts.a.workPath ? await fillVolumeOn(scope.ledger, hosts.a, sourceDevice, s.blockSize, this.blocks) : await fillVolume(sourceDevice, s.blockSize, this.blocks);
  }

  async start(device: string): Promise<void> {
    const { scope, scenario: s, hosts, signal, workDir } = this.env;
    this.source = Instance.start(
      scope,
      hosts.a,
      { device, epoch: SOURCE_EPOCH, blockSize: s.blockSize, blocks: this.blocks, writeRateBps: s.writeRateBps, readRate: stampedReadRate(s), seed: 0x0a00 + this.env.rep, ...this.patterns() },
    );
    await this.source.waitFirstAck(signal);
    this.sourceProbe = startReadProbe(scope, s, hosts.a, device, workDir, 'source');
    // The baseline window starts once the probe reads: it must hold timed reads.
    await this.sourceProbe?.ready;
  }

  async endBaseline(): Promise<void> {
    this.sourceProbeReads = await this.sourceProbe?.stop();
  }

  async kill(): Promise<void> {
    await this.started().kill();
  }

  async boot(device: string): Promise<number> {
    const { scope, scenario: s, hosts, signal, workDir } = this.env;
    this.dest = Instance.start(
      scope,
      hosts.b,
      { device, epoch: DEST_EPOCH, blockSize: s.blockSize, blocks: this.blocks, writeRateBps: s.writeRateBps, readRate: stampedReadRate(s), seed: 0x0b00 + DEST_EPOCH, ...this.patterns() },
    );
    const up = await this.dest.waitFirstAck(signal);
    this.destProbe = startReadProbe(scope, s, hosts.b, device, workDir, 'dest');
    return up;
  }

  async crashDest(): Promise<void> {
    const dest = this.booted();
    // The instance dies mid-I/O (SIGKILL); the probe only reads, and its reads still count.
    await dest.kill();
    this.crashedProbeReads.push(...((await this.destProbe?.stop()) ?? []));
    this.destProbe = undefined;
    this.crashed.push(dest);
    this.dest = undefined;
  }

  async rebootDest(device: string): Promise<number> {
    const { scope, scenario: s, hosts, signal, workDir } = this.env;
    this.dest = Instance.start(
      scope,
      hosts.b,
      { device, epoch: DEST_REBOOT_EPOCH, blockSize: s.blockSize, blocks: this.blocks, writeRateBps: s.writeRateBps, readRate: stampedReadRate(s), seed: 0x0b00 + DEST_REBOOT_EPOCH, ...this.patterns() },
    );
    const up = await this.dest.waitFirstAck(signal);
    this.rebootAckNs = up;
    this.destProbe = startReadProbe(scope, s, hosts.b, device, workDir, 'dest');
    return up;
  }

  async waitDestAck(ns: number): Promise<number> {
    return this.booted().waitAckAtOrAfter(ns, this.env.signal);
  }

  async stop(): Promise<void> {
    this.destProbeReads = await this.destProbe?.stop();
    await this.dest?.stop();
    await this.source?.stop();
  }

  async verify(destDevice: string, timeline: Timeline): Promise<WorkloadFigures> {
    const s = this.env.scenario;
    const source = this.started();
    const current = this.booted();
    if (!this.fill) throw new WorkloadStateError('stamped workload: verify before provision');
    // B's instances in boot order: a dest-crash's victim, then the instance booted again.
    const dests = [...this.crashed, current];
    const journal: Journal = {
      blockSize: s.blockSize,
      blocks: this.blocks,
      fill: this.fill,
      acks: [...source.acks, ...dests.flatMap((d) => d.acks)],
      reads: [...source.reads, ...dests.flatMap((d) => d.reads)],
    };
    const latest = latestAcks(journal);
    const starts = new Map([[DEST_EPOCH, timeline.get('first_ack_dest')!]]);
    if (this.rebootAckNs !== undefined) starts.set(DEST_REBOOT_EPOCH, this.rebootAckNs);
    const forked = forkedBlocks(latest, starts);
    const b = this.env.hosts.b;
    const verification = b.workPath ? await scanDeviceOn(this.env.scope.ledger, b, destDevice, s.blockSize, this.blocks, latest, forked) : await scanDevice(destDevice, s.blockSize, this.blocks, latest, forked);
    const reads = staleReads(journal);
    return {
      verification,
      staleReads: reads.stale,
      corruptReads: reads.corrupt,
      checkedReads: journal.reads,
      ackedWrites: journal.acks.length,
      lastAckSourceNs: source.lastAckNs,
      metricReads: { source: this.sourceProbeReads ?? source.reads, dest: this.destProbeReads ? [...this.crashedProbeReads, ...this.destProbeReads] : dests.flatMap((d) => d.reads) },
      reads: s.probe === 'fio' ? [...(this.sourceProbeReads ?? []), ...this.crashedProbeReads, ...(this.destProbeReads ?? [])] : journal.reads,
      acks: journal.acks,
      // Issue 12: the errors both instances went on from, and when B completed I/O (stall_ms).
      ioErrors: ioErrorCounts([...source.ioErrors, ...dests.flatMap((d) => d.ioErrors)]),
      destCompletionsNs: [
        ...dests.flatMap((d) => [...d.acks.map((a) => a.ackNs), ...d.reads.map((r) => r.completedNs)]),
        ...[...this.crashedProbeReads, ...(this.destProbeReads ?? [])].map((r) => r.completedNs),
      ],
    };
  }

  /** The access patterns; both instances of a volume share the layout (the same hot blocks). */
  private patterns(): Pick<InstanceConfig, 'writePattern' | 'readPattern' | 'layoutSeed'> {
    const s = this.env.scenario;
    return { writePattern: s.writePattern, readPattern: s.readPattern, layoutSeed: 0x1a70 + 0x100 * (this.env.volume ?? 0) + this.env.rep };
  }

  private started(): Instance {
    if (!this.source) throw new WorkloadStateError('stamped workload: not started on A');
    return this.source;
  }

  private booted(): Instance {
    if (!this.dest) throw new WorkloadStateError('stamped workload: not booted on B');
    return this.dest;
  }
}
