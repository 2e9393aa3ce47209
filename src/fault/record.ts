/** What the injector recorded of one repetition's fault, for runs.csv and timeline.csv. */
export interface FaultRecord {
  /** The `--fault` text. */
  spec: string;
  /** When the fault was applied (ns, the timeline's clock); undefined when its phase never came. */
  startNs?: number;
  /** When it was undone; undefined while it lasts for good. */
  endNs?: number;
  /** The source died for good. */
  sourceLost: boolean;
  /** What went wrong around the fault (phase never came, undo failed, processes stuck in D state). */
  warnings: string[];
}
