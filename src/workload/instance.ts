import type { ExitStatus, Host } from '../host/host.js';
import { untilExit, exitsWithin } from '../host/race.js';
import type { ResourceScope } from '../lab/scope.js';
import { INSTANCE_ENTRY, type InstanceConfig } from './instance-config.js';
import { drained, startNodeEntry, type NodeEntryProcess } from './node-entry.js';
import { RecordDecoder, RecordType, type AckRecord, type IoErrorRecord, type ReadRecord } from './records.js';

/** How long a graceful stop may take before the process is killed. */
const STOP_GRACE_MS = 15_000;

const now = (): number => Number(process.hrtime.bigint());

/**
 * The orchestrator's handle on one running workload instance: it collects the
 * instance's acks and reads (the journal lives here, outside the volume), and knows
 * when the instance was first up and when it last acknowledged a write.
 */
export class Instance {
  readonly acks: AckRecord[] = [];
  readonly reads: ReadRecord[] = [];
  /** Reads and writes that failed and the instance went on from (issue 12). */
  readonly ioErrors: IoErrorRecord[] = [];
  readonly startNs: number;
  private readonly daemon: NodeEntryProcess;
  private readonly decoder = new RecordDecoder();
  private firstAckResolve!: (ns: number) => void;
  /** Resolves with the time of the first acknowledged write. */
  readonly firstAck: Promise<number>;

  private constructor(scope: ResourceScope, host: Host, readonly config: InstanceConfig) {
    this.firstAck = new Promise((resolve) => (this.firstAckResolve = resolve));
    this.startNs = now();
    // A real host's instance stamps and reports on the controller's clock (its offset).
    const offset = host.clockOffsetNs ? { clockOffsetNs: host.clockOffsetNs } : {};
    this.daemon = startNodeEntry(scope, host, INSTANCE_ENTRY, { ...config, ...offset }, 10_000);
    // Binary records, not NDJSON: see src/host/lines.ts.
    this.daemon.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  /** Starts an instance on `host` (the host `config.device` belongs to). */
  static start(scope: ResourceScope, host: Host, config: InstanceConfig): Instance {
    return new Instance(scope, host, config);
  }

  private readonly ackWaiters: { ns: number; resolve: (ns: number) => void }[] = [];

  private onData(chunk: Buffer): void {
    for (const r of this.decoder.push(chunk)) {
      if (r.type === RecordType.Ack) {
        if (this.acks.length === 0) this.firstAckResolve(r.ackNs);
        this.acks.push(r);
        for (let i = this.ackWaiters.length - 1; i >= 0; i--) {
          const w = this.ackWaiters[i]!;
          if (r.ackNs >= w.ns) {
            this.ackWaiters.splice(i, 1);
            w.resolve(r.ackNs);
          }
        }
      } else if (r.type === RecordType.Read) this.reads.push(r);
      else if (r.type === RecordType.IoError) this.ioErrors.push(r);
    }
  }

  get epoch(): number {
    return this.config.epoch;
  }

  /** Time of the last acknowledged write, or undefined if none. */
  get lastAckNs(): number | undefined {
    return this.acks.at(-1)?.ackNs;
  }

  /** Waits for the first ack; fails if the instance exits first. */
  waitFirstAck(signal?: AbortSignal): Promise<number> {
    return this.raceExit(this.firstAck, signal);
  }

  /**
   * Waits for an ack at or after `ns`: the instance has kept acknowledging until then
   * (a health check on real I/O, not a timer).
   */
  waitAckAtOrAfter(ns: number, signal?: AbortSignal): Promise<number> {
    const last = this.lastAckNs;
    if (last !== undefined && last >= ns) return Promise.resolve(last);
    return this.raceExit(new Promise((resolve) => this.ackWaiters.push({ ns, resolve })), signal);
  }

  /** `p`, unless the instance exits first (a ProcessExitedError) or `signal` aborts. */
  private raceExit(p: Promise<number>, signal?: AbortSignal): Promise<number> {
    return untilExit(this.daemon, p, `instance epoch ${this.epoch}`, signal);
  }

  /**
   * The primitive *kill*: SIGKILL, then wait until the process is gone (no I/O after).
   * Done when it has exited: stop() goes on to sweep for processes it forked (a /proc scan,
   * over SSH a round trip), the harness's hygiene, not part of the kill; the scope's
   * release awaits that sweep (stop() again returns the same one).
   */
  async kill(): Promise<void> {
    const stopped = this.daemon.stop('SIGKILL');
    stopped.catch(() => undefined); // the release's stop() reports a failure
    await this.daemon.exited;
    await this.drained();
  }

  /** Graceful stop at the end of a run: finish in-flight I/O, report it, exit. */
  async stop(): Promise<void> {
    if (!this.daemon.hasExited()) this.daemon.stdin.write('s');
    // Asked to stop over its pipe; one that does not finish within the grace is killed.
    if (!(await exitsWithin(this.daemon, STOP_GRACE_MS))) await this.daemon.stop('SIGKILL');
    await this.drained();
  }

  private async drained(): Promise<void> {
    // The stdout pipe may still hold records written before exit; wait for its end.
    await drained(this.daemon.stdout);
    if (this.decoder.pendingBytes) throw new Error(`instance epoch ${this.epoch}: torn record at end of stream`);
  }

  /** Exit status, for diagnosing a crash. */
  get exited(): Promise<ExitStatus> {
    return this.daemon.exited;
  }
}
