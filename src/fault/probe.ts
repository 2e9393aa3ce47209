/**
 * What a strategy may ask about the fault of its repetition (MigrationContext.fault): the
 * injector implements it. Strategies use it to tell a fault they can wait out from one
 * that took the source for good, and to announce phases the timeline does not mark.
 */
export interface FaultProbe {
  /** Announces a phase the timeline has no mark for (`round:N`). */
  reached(phase: string): void;
  /** True once the fault took the source away for good (source-crash). */
  sourceLost(): boolean;
  /** True once the fault has started (and may have ended). */
  started(): boolean;
  /** Resolves once the fault has ended (at once if it did or never will start; never for a fault that lasts for good). */
  ended(signal: AbortSignal): Promise<void>;
  /**
   * Registers what `dest-crash` does: crash B (workload and clone stack) and reboot it. The
   * fault ends once it resolves; until a strategy registers one, the fault waits.
   */
  onDestCrash(crashAndReboot: () => Promise<void>): void;
}
