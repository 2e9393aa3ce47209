/**
 * A rough wall-time estimate of a run, for `migbench run --dry-run`. Pure arithmetic on
 * the scenario: nothing here is measured, and strategies that iterate (pre-copy rounds)
 * or hydrate slowly take longer than this says.
 */
import type { Scenario } from './scenario.js';

/** Assumed throughput of filling and verifying a volume on the backing store (bytes/s). */
export const ASSUMED_FILL_BYTES_PER_S = 1024 * 2 ** 20;
/** Assumed fixed cost of one repetition: loop devices, exports, daemons, teardown (ms). */
export const ASSUMED_REPETITION_OVERHEAD_MS = 1000;
/** Assumed cost of provisioning one lab (namespaces, tc) besides its link probe (ms). */
export const ASSUMED_LAB_OVERHEAD_MS = 2000;

/** One repetition's estimate, by phase (ms). */
export interface RepetitionEstimate {
  fillMs: number;
  warmupMs: number;
  /** Copying every volume at the link rate, plus health; drains share the link. */
  transferMs: number;
  settleMs: number;
  verifyMs: number;
  overheadMs: number;
  totalMs: number;
}

/** The estimate of one strategy × repetition at `s`, capped at its timeout. */
export function estimateRepetition(s: Scenario): RepetitionEstimate {
  const bytes = s.sizeBytes * s.volumes;
  const fillMs = (bytes / ASSUMED_FILL_BYTES_PER_S) * 1000;
  const transferMs = ((bytes * 8) / s.linkBps) * 1000 + s.latencyMs + s.healthMs + s.staggerMs * (s.volumes - 1);
  const verifyMs = fillMs;
  const overheadMs = ASSUMED_REPETITION_OVERHEAD_MS * s.volumes;
  const sum = fillMs + s.warmupMs + transferMs + s.settleMs + verifyMs + overheadMs;
  return { fillMs, warmupMs: s.warmupMs, transferMs, settleMs: s.settleMs, verifyMs, overheadMs, totalMs: Math.min(sum, s.timeoutMs) };
}

/** Provisioning one lab and probing its link (about two seconds of link, 16 MiB to 1 GiB). */
export function estimateLab(s: Scenario): number {
  const probeBytes = Math.min(1024 * 2 ** 20, Math.max(16 * 2 ** 20, (s.linkBps / 8) * 2));
  return ASSUMED_LAB_OVERHEAD_MS + ((probeBytes * 8) / s.linkBps) * 1000;
}

/** `3 min 20 s`, `45 s`, `1 h 5 min`. */
export function formatWallTime(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const min = Math.round((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${min ? ` ${min} min` : ''}`;
}
