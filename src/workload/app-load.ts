import { encodeRecord } from '../host/lines.js';
import { exitsWithin, untilExit } from '../host/race.js';
import type { AppAck } from '../measure/app-metrics.js';
import type { Target } from './http/front-door.js';
import { drained, onChildRecords, type NodeEntryProcess } from './node-entry.js';

/** What the controller sends an application load process over its stdin. */
export type AppLoadCommand = { kind: 'target'; target: Target } | { kind: 'stop' };

/**
 * The controller's handle on an application's load process (HTTP clients, database
 * clients): it keeps every acknowledgement (request or transaction id, the answering
 * service epoch, arrival time), lets a caller wait for one from a given epoch, switches the
 * front door and stops the process. What else an event means is the subclass's
 * (`onEvent`): errors, timeouts, indeterminate transactions.
 */
export abstract class AppLoadProcess<E extends { kind: string }> {
  readonly acks: AppAck[] = [];
  private readonly waiters: { epoch: number; ns: number; resolve: (ns: number) => void }[] = [];
  private readyResolve!: () => void;
  private readonly ready = new Promise<void>((r) => (this.readyResolve = r));
  /** Rejects once the process printed something that is not an event (see onChildRecords). */
  private readonly broken: Promise<never>;

  protected constructor(
    private readonly process: NodeEntryProcess,
    decode: (value: unknown) => E,
    /** Names the process in errors ("http load"). */
    private readonly what: string,
  ) {
    // Events arrive asynchronously, after the subclass's fields are initialised.
    this.broken = onChildRecords(process, decode, (e) => this.onEvent(e));
  }

  /** Handles one event; calls {@link markReady} and {@link acked} for the common ones. */
  protected abstract onEvent(e: E): void;

  protected markReady(): void {
    this.readyResolve();
  }

  /** Journals an acknowledgement and wakes whoever waits for it. */
  protected acked(a: AppAck): void {
    this.acks.push(a);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (w.epoch === a.epoch && a.tNs >= w.ns) {
        this.waiters.splice(i, 1);
        w.resolve(a.tNs);
      }
    }
  }

  /** Resolves once the process said it is ready, unless it exits or `signal` aborts first. */
  protected whenReady(signal?: AbortSignal): Promise<void> {
    return this.until(this.ready, signal);
  }

  /** `wait`, unless the process exits, garbles its output or `signal` aborts first. */
  private until<T>(wait: Promise<T>, signal?: AbortSignal): Promise<T> {
    return untilExit(this.process, Promise.race([wait, this.broken]), this.what, signal);
  }

  private send(command: AppLoadCommand): void {
    this.process.stdin.write(encodeRecord(command));
  }

  /** Sends new client connections to `t` from now on. */
  switchTo(t: Target): void {
    this.send({ kind: 'target', target: t });
  }

  /** Waits for an acknowledgement from service `epoch` that arrived at or after `ns`. */
  waitAck(epoch: number, ns: number, signal?: AbortSignal): Promise<number> {
    const hit = this.acks.find((a) => a.epoch === epoch && a.tNs >= ns);
    if (hit) return Promise.resolve(hit.tNs);
    return this.until(new Promise<number>((resolve) => this.waiters.push({ epoch, ns, resolve })), signal);
  }

  /**
   * Asks the process to stop over its pipe, kills it if it has not finished within
   * `graceMs`, and waits for its last events.
   */
  protected async stopProcess(graceMs: number): Promise<void> {
    this.send({ kind: 'stop' });
    if (!(await exitsWithin(this.process, graceMs))) await this.process.stop('SIGKILL');
    await drained(this.process.stdout);
  }
}
