/**
 * Wall time of each step a repetition enters (pure but for the clock): a step lasts from
 * its `enter` to the next one's, or to `stop`. The harness's own phases (the fill, the
 * verification) are reported next to the migration's so a reader sees whether they
 * dominate a run (issue 15, "Scale").
 */
export class StepClock {
  private readonly spent = new Map<string, number>();
  private current: { name: string; startNs: bigint } | undefined;

  constructor(private readonly now: () => bigint = process.hrtime.bigint) {}

  /** Ends the step running (if any) and starts `name`. */
  enter(name: string): void {
    this.stop();
    this.current = { name, startNs: this.now() };
  }

  /** Ends the step running. */
  stop(): void {
    if (!this.current) return;
    const ms = Number(this.now() - this.current.startNs) / 1e6;
    this.spent.set(this.current.name, (this.spent.get(this.current.name) ?? 0) + ms);
    this.current = undefined;
  }

  /** Milliseconds spent in `name` (its finished visits), or undefined if it never ended. */
  ms(name: string): number | undefined {
    return this.spent.get(name);
  }
}
