/** The named instants of one migration (docs/results.md, "Metric definitions"). */
export type EventName =
  | 'warmup_start'
  | 'start'
  | 'last_ack_source'
  | 'kill_start'
  | 'kill_done'
  | 'copy_start'
  | 'copy_done'
  | 'clone_ready'
  | 'boot_start'
  | 'first_ack_dest'
  | 'boot_done'
  | 'hydration_done'
  | 'source_released'
  | 'backup_start'
  | 'backup_done'
  | 'mirror_ready'
  | 'fault_start'
  | 'fault_end'
  | 'end';

/**
 * Event times on one monotonic clock (`process.hrtime.bigint()` as ns), plus periodic
 * samples of counters taken during the run.
 */
export class Timeline {
  private readonly events = new Map<EventName, number>();
  readonly samples: { tNs: number; txBytes: number; hydrated: number }[] = [];

  static now(): number {
    return Number(process.hrtime.bigint());
  }

  /**
   * Marks `name` now (or at `atNs`) and returns the time marked. Each instant happens
   * once in a migration: marking it again is a bug (two steps claiming one event), and
   * throws rather than silently keeping either time.
   */
  mark(name: EventName, atNs: number = Timeline.now()): number {
    const earlier = this.events.get(name);
    if (earlier !== undefined) throw new DuplicateMarkError(name, earlier, atNs);
    this.events.set(name, atNs);
    return atNs;
  }

  get(name: EventName): number | undefined {
    return this.events.get(name);
  }

  /** Milliseconds from `start` to `name`, or undefined. */
  relMs(name: EventName): number | undefined {
    const t = this.events.get(name);
    const s = this.events.get('start');
    return t === undefined || s === undefined ? undefined : (t - s) / 1e6;
  }

  entries(): [EventName, number][] {
    return [...this.events.entries()];
  }
}

/** A second mark of an event already on the timeline. */
export class DuplicateMarkError extends Error {
  override readonly name = 'DuplicateMarkError';
  constructor(
    readonly event: EventName,
    /** The time already marked (ns). */
    readonly firstNs: number,
    /** The time of the rejected second mark (ns). */
    readonly secondNs: number,
  ) {
    super(`timeline event ${event} marked twice (first at ${firstNs} ns, again at ${secondNs} ns)`);
  }
}
