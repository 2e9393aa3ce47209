/**
 * Injects one `--fault` into a repetition: waits for its phase (the timeline's marks, the
 * reported progress, or a phase a strategy announces), waits its delay, applies it through
 * the Host seam, marks `fault_start`/`fault_end` on the timeline and undoes it after its
 * duration. The undo is also the release of a scope frame, so a repetition that fails or
 * is aborted while the fault is on still brings the link back up and the files away.
 */
import type { HostProcess } from '../host/host.js';
import type { HostPair } from '../lab/hosts.js';
import type { ResourceScope } from '../lab/scope.js';
import { sleep } from '../lab/wait.js';
import { Timeline, type EventName } from '../measure/timeline.js';
import { delayEnd, LinkCut } from './link.js';
import type { FaultProbe } from './probe.js';
import type { FaultRecord } from './record.js';
import { sourceFaultFiles, type SourceFaultFiles } from './source-files.js';
import type { FaultSpec } from './spec.js';

/** What the injector acts on. */
export interface FaultTarget {
  hosts: HostPair;
  timeline: Timeline;
  /** The migration's progress towards B (0..1), as the strategy reports it. */
  progress(): number;
  /** The processes serving the source on A (the export, a tracked source's TCP export). */
  sourceDaemons(): HostProcess[];
  /** Starts the source export again (source-restart). */
  restartSource(): Promise<void>;
  /** The repetition's work directory (the export's trigger files live there). */
  workDir: string;
}

/** How often the injector looks for its phase, ms: the fault's start is exact to this. */
const POLL_MS = 5;

/** Timeline marks that are phases. */
const PHASE_MARKS: Partial<Record<string, EventName>> = { start: 'start', kill: 'kill_start', boot: 'boot_start', 'mirror-ready': 'mirror_ready' };

/** One repetition's fault: started before the migration, finished after the settle window. */
export class FaultInjector implements FaultProbe {
  private readonly announced = new Map<string, number>();
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;
  private undo: (() => Promise<void>) | undefined;
  private lost = false;
  /** Set once the repetition is over: a source down for a restart is not started again then. */
  private finishing = false;
  private readonly endedWaiters: (() => void)[] = [];
  private readonly record: FaultRecord;
  private readonly running: Promise<void>;
  private readonly files: SourceFaultFiles;
  private destCrash: (() => Promise<void>) | undefined;
  /** link-down and link-flap: the ends taken down, and how to bring them back. */
  private readonly cut: LinkCut;

  private constructor(private readonly scope: ResourceScope, private readonly spec: FaultSpec, private readonly target: FaultTarget, signal: AbortSignal) {
    this.record = { spec: spec.text, sourceLost: false, warnings: [] };
    this.signal = AbortSignal.any([signal, this.stop.signal]);
    this.files = sourceFaultFiles(target.workDir, target.hosts.a);
    this.cut = new LinkCut(scope);
    // Whatever happens to the repetition, the fault is undone before its resources go.
    scope.defer(`fault ${spec.text}`, () => this.finish().then(() => undefined));
    this.running = this.run().catch((err: unknown) => {
      if (!this.signal.aborted) this.record.warnings.push(`fault ${spec.text} failed: ${(err as Error).message}`);
    });
  }

  /** Starts waiting for the fault's phase. */
  static start(scope: ResourceScope, spec: FaultSpec, target: FaultTarget, signal: AbortSignal): FaultInjector {
    return new FaultInjector(scope, spec, target, signal);
  }

  reached(phase: string): void {
    if (!this.announced.has(phase)) this.announced.set(phase, Timeline.now());
  }

  sourceLost(): boolean {
    return this.lost;
  }

  onDestCrash(crashAndReboot: () => Promise<void>): void {
    this.destCrash = crashAndReboot;
  }

  started(): boolean {
    return this.record.startNs !== undefined;
  }

  ended(signal: AbortSignal): Promise<void> {
    // A dest-crash ends when B is up again; the other faults without a duration never end.
    const ends = this.spec.durationMs !== undefined || this.spec.kind === 'dest-crash';
    if (this.record.endNs !== undefined || !ends) return this.record.endNs !== undefined ? Promise.resolve() : new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    return new Promise((resolve, reject) => {
      this.endedWaiters.push(resolve);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  /**
   * Stops waiting, undoes the fault if it is still on, and returns what happened. Called
   * after the settle window (a fault still on is cut short there) and by the scope.
   */
  async finish(): Promise<FaultRecord> {
    this.finishing = true;
    this.stop.abort(new Error('repetition over'));
    await this.running;
    await this.end();
    if (this.record.startNs === undefined && !this.record.warnings.some((w) => w.includes('never came'))) {
      this.record.warnings.push(`fault ${this.spec.text}: phase ${phaseText(this.spec)} never came`);
    }
    return this.record;
  }

  /** The time the phase came (ns), polling marks, progress and announcements. */
  private async phaseNs(): Promise<number> {
    const p = this.spec.phase;
    const t = this.target.timeline;
    for (;;) {
      const at = ((): number | undefined => {
        if (p.name === 'round') return this.announced.get(`round:${p.round}`) ?? (p.round === 0 ? t.get('copy_start') : undefined);
        if (p.name === 'hydration') {
          // Background hydration starts as soon as the destination is up.
          const up = t.get('first_ack_dest');
          if (up === undefined || !t.get('clone_ready')) return undefined;
          if (!('percent' in p)) return up;
          return this.target.progress() * 100 >= p.percent ? Timeline.now() : undefined;
        }
        return t.get(PHASE_MARKS[p.name]!);
      })();
      if (at !== undefined) return at;
      await sleep(POLL_MS, this.signal);
    }
  }

  private async run(): Promise<void> {
    const phaseNs = await this.phaseNs();
    // A loop, not one sleep: timers run on a coarser clock than the timeline's and can fire
    // a fraction of a millisecond early, and the fault must never start before its delay.
    const atNs = phaseNs + this.spec.delayMs * 1e6;
    for (let left = atNs - Timeline.now(); left > 0; left = atNs - Timeline.now()) await sleep(Math.max(1, Math.ceil(left / 1e6)), this.signal);
    this.record.startNs = this.target.timeline.mark('fault_start');
    await this.apply();
    if (this.spec.kind === 'dest-crash') {
      // Over once B has rebooted: fault_end marks it, resume_ms counts from there.
      this.undo = () => Promise.resolve();
      await this.end();
      return;
    }
    if (this.spec.durationMs === undefined) return;
    if (this.spec.kind === 'link-flap') await this.flap();
    else await sleep(this.spec.durationMs, this.signal);
    await this.end();
  }

  /** Applies the fault; sets `undo` to what takes it away. */
  private async apply(): Promise<void> {
    const s = this.spec;
    switch (s.kind) {
      case 'link-down':
      case 'link-flap':
        this.undo = () => this.cut.up();
        await this.cut.down([this.target.hosts.a, this.target.hosts.b]);
        return;
      case 'slow-source':
        if (s.rateBps !== undefined) {
          this.undo = () => this.files.setRate(undefined);
          await this.files.setRate(s.rateBps);
        } else {
          // Undo set first, as for every fault: an add that failed still ends the fault.
          let undo: (() => Promise<void>) | undefined;
          this.undo = () => undo?.() ?? Promise.resolve();
          undo = await delayEnd(this.scope, this.target.hosts.a, s.latencyMs!);
        }
        return;
      case 'source-eio':
        this.undo = () => this.files.setEio(false);
        await this.files.setEio(true);
        return;
      case 'source-crash':
        // The source is gone before any strategy can see it fail.
        this.lost = true;
        this.record.sourceLost = true;
        await this.killSource();
        return;
      case 'source-restart':
        this.undo = () => this.target.restartSource();
        await this.killSource();
        return;
      case 'dest-crash': {
        // The strategy registers the crash once B is up (async-clone, after boot).
        while (!this.destCrash) await sleep(POLL_MS, this.signal);
        await this.destCrash();
        return;
      }
    }
  }

  /** SIGKILL of every process serving the source, as a host crash would. */
  private async killSource(): Promise<void> {
    await Promise.all(this.target.sourceDaemons().map((d) => d.stop('SIGKILL')));
  }

  /** link-flap: N outages, each half of its period; the first is already on. */
  private async flap(): Promise<void> {
    const n = this.spec.flaps!;
    const period = this.spec.durationMs! / n;
    for (let k = 0; k < n; k++) {
      if (k > 0) await this.cut.down([this.target.hosts.a, this.target.hosts.b]);
      await sleep(period / 2, this.signal);
      await this.cut.up();
      if (k < n - 1) await sleep(period / 2, this.signal);
    }
  }

  /** Undoes the fault once, marks its end and wakes whoever waits for it. */
  private async end(): Promise<void> {
    const undo = this.undo;
    this.undo = undefined;
    if (undo && !(this.finishing && this.spec.kind === 'source-restart')) {
      try {
        await undo();
      } catch (err) {
        this.record.warnings.push(`undoing fault ${this.spec.text} failed: ${(err as Error).message}`);
      }
    }
    if (this.record.startNs !== undefined && this.record.endNs === undefined && (undo || this.spec.kind === 'link-flap')) {
      this.record.endNs = this.target.timeline.mark('fault_end');
      for (const w of this.endedWaiters.splice(0)) w();
    }
  }
}

/** The phase of `spec` as written. */
function phaseText(spec: FaultSpec): string {
  const p = spec.phase;
  return p.name === 'round' ? `round:${p.round}` : 'percent' in p ? `hydration:${p.percent}%` : p.name;
}
