/**
 * The plan's model of one strategy: a **fixed part** fitted from the measured repetitions
 * (kill, boot, clone set-up, per-pass overhead: whatever the strategy spends that does not
 * grow with the volume) plus a **transfer** that is physics:
 *
 *     transfer = bytes × 8 / (link share × efficiency)
 *
 * where the link share is the link rate × the run's measured link efficiency / the volumes
 * sharing it, and the efficiency is what each repetition achieved over its own share
 * (`copy_efficiency` = size × 8 / (copy_ms × measured link); for the async clone, size × 8 /
 * (hydration_ms × measured link)). Each metric M of a repetition r is split as
 *
 *     M_r = fixed_r + transfer_r     (transfer_r = the time that repetition measured)
 *
 * so the model reproduces every measured row exactly, and at the target
 *
 *     M = fixed_r + transfer(target size, target share, efficiency_r)
 *
 * one prediction per repetition; the plan reports their median (min–max). Pure.
 */
import { num, type Row } from '../results/read-results.js';

/** Which transfer a metric carries: the bulk (whole volume), pre-copy's final delta, or none. */
export type TransferKind = 'bulk' | 'final-delta' | 'none';

/** One strategy's model: which metric contains which transfer. */
export interface StrategyModel {
  /** The column that timed the bulk transfer in the run: the copy, or the clone's hydration. */
  bulk: 'copy_ms' | 'hydration_ms';
  interruption: TransferKind;
  /** Both instances acknowledging writes. */
  splitBrain: 'bulk' | 'none';
  /** The destination depends on its source (`hydration_ms`: booted before its data arrived). */
  exposure: 'bulk' | 'none';
  /** The model in one line, for the text output and the docs. */
  formula: string;
}

const ORDERING = { bulk: 'copy_ms', interruption: 'none', splitBrain: 'none', exposure: 'none' } as const;

/** The model of each strategy migbench runs. A strategy missing here gets no prediction. */
export const MODELS: Readonly<Record<string, StrategyModel>> = {
  /** kill → copy → boot: down for the whole copy; the destination never depends on the source. */
  'kill-copy-boot': { ...ORDERING, interruption: 'bulk', formula: 'interruption = kill + copy + boot; exposure 0' },
  /** kill → boot → copy: boots on an empty volume (loses data), then copies under it. */
  'kill-boot-copy': { ...ORDERING, exposure: 'bulk', formula: 'interruption = kill + boot; exposure = copy after boot' },
  /** copy → kill → boot: copies while A still writes (loses those writes), short stop. */
  'copy-kill-boot': { ...ORDERING, formula: 'interruption = kill + boot; copy before the kill' },
  /** copy → boot → kill: both run between boot and kill (split brain), no stop. */
  'copy-boot-kill': { ...ORDERING, formula: 'split brain = boot + health; copy before boot' },
  /** boot → kill → copy: B boots empty, A is killed, then the copy lands under B. */
  'boot-kill-copy': { ...ORDERING, exposure: 'bulk', formula: 'split brain = boot + health; exposure = copy after boot' },
  /** boot → copy → kill: both run for the whole copy. */
  'boot-copy-kill': { ...ORDERING, splitBrain: 'bulk', exposure: 'bulk', formula: 'split brain = fixed + copy; exposure = copy after boot' },
  /** kill → clone → boot: a constant stop, then hydration over the link while B depends on A. */
  'async-clone': { ...ORDERING, bulk: 'hydration_ms', exposure: 'bulk', formula: 'interruption = kill + clone set-up + boot; exposure = hydration = size / (link share × hydration efficiency)' },
  /** copy passes while A runs → kill → final delta → boot. */
  precopy: { ...ORDERING, interruption: 'final-delta', formula: 'interruption = kill + per-pass overhead + final delta / link share + boot; passes before the kill' },
  /** backup taken earlier → kill → restore copy → boot: down for a whole copy, loses writes since the backup. */
  'backup-restore': { ...ORDERING, interruption: 'bulk', formula: 'interruption = kill + restore copy + boot' },
  /** synchronous mirror while A runs → kill → complete → boot. */
  mirror: { ...ORDERING, formula: 'interruption = kill + mirror completion + boot; sync before the kill' },
};

/** Per-metric constants of one repetition, ms. */
export interface FixedParts {
  interruption: number;
  splitBrain: number;
  exposure: number;
  /** Migration start → source released, minus the bulk transfer. */
  migration: number;
}

/** What one successful repetition says about its strategy. */
export interface RepConstants {
  sizeBytes: number;
  /** Measured link over the volumes that shared it in that repetition, bit/s. */
  shareBps: number;
  /** Bulk transfer efficiency over the share, clamped to ≤ 1 (so no prediction beats the link). */
  efficiency: number;
  fixed: FixedParts;
  /** Pre-copy: bytes copied after the kill, and whether the passes converged. */
  finalDeltaBytes?: number;
  converged?: boolean;
  killMs?: number;
  bootMs?: number;
}

/** One repetition's predicted figures at a target, ms. */
export interface RepPrediction {
  interruption: number;
  splitBrain: number;
  exposure: number;
  migration: number;
  /** The bulk transfer alone (the time the volume holds its share of the link). */
  transfer: number;
}

/** ms to move `bytes` over `shareBps` at `efficiency`. */
export function transferMs(bytes: number, shareBps: number, efficiency = 1): number {
  return (bytes * 8 * 1000) / (shareBps * efficiency);
}

/**
 * The constants of one ok row (concurrency = volumes that shared the link with it), or the
 * reason the row cannot calibrate the model (a column the model needs is empty).
 */
export function repConstants(model: StrategyModel, row: Row, concurrency: number): RepConstants | string {
  const size = num(row, 'size_bytes');
  const link = num(row, 'link_measured_bps') ?? num(row, 'link_bps');
  const bulkMs = num(row, model.bulk);
  if (size === undefined || size <= 0) return 'no size_bytes';
  if (!link) return 'no link_measured_bps or link_bps';
  if (bulkMs === undefined || bulkMs <= 0) return `no ${model.bulk}`;
  const shareBps = link / concurrency;
  const efficiency = Math.min(1, transferMs(size, shareBps) / bulkMs);
  const measured = (kind: TransferKind): number | string => {
    if (kind === 'none') return 0;
    if (kind === 'bulk') return bulkMs;
    const delta = num(row, 'final_delta_bytes');
    return delta === undefined ? 'no final_delta_bytes' : transferMs(delta, shareBps);
  };
  const parts: Record<keyof FixedParts, [string, TransferKind]> = {
    interruption: ['interruption_ms', model.interruption],
    splitBrain: ['split_brain_ms', model.splitBrain],
    exposure: ['hydration_ms', model.exposure],
    migration: ['migration_ms', 'bulk'],
  };
  const fixed = {} as FixedParts;
  for (const [key, [column, kind]] of Object.entries(parts) as [keyof FixedParts, [string, TransferKind]][]) {
    const value = num(row, column);
    const t = measured(kind);
    if (value === undefined) return `no ${column}`;
    if (typeof t === 'string') return t;
    fixed[key] = value - t;
  }
  const c: RepConstants = { sizeBytes: size, shareBps, efficiency, fixed };
  const delta = num(row, 'final_delta_bytes');
  if (model.interruption === 'final-delta' && delta !== undefined) {
    c.finalDeltaBytes = delta;
    c.converged = row.converged !== 'false';
  }
  const kill = num(row, 'kill_ms');
  const boot = num(row, 'boot_ms');
  if (kill !== undefined) c.killMs = kill;
  if (boot !== undefined) c.bootMs = boot;
  return c;
}

/**
 * The final delta at a target size: the measured bytes when the passes converged (the
 * dirty set at the kill is bounded by the convergence threshold, not by the size), else
 * the same fraction of the volume (a stalled pre-copy's dirty set grows with it).
 */
export function finalDeltaAt(c: RepConstants, sizeBytes: number): number {
  const d = c.finalDeltaBytes ?? 0;
  return c.converged === false ? (d * sizeBytes) / c.sizeBytes : d;
}

/** One repetition's figures for a volume of `sizeBytes` holding `shareBps` of the link. */
export function predictRep(model: StrategyModel, c: RepConstants, sizeBytes: number, shareBps: number): RepPrediction {
  const transfer = transferMs(sizeBytes, shareBps, c.efficiency);
  const t = (kind: TransferKind): number => (kind === 'bulk' ? transfer : kind === 'final-delta' ? transferMs(finalDeltaAt(c, sizeBytes), shareBps) : 0);
  const at = (fixed: number, kind: TransferKind): number => Math.max(0, fixed + t(kind));
  return {
    interruption: at(c.fixed.interruption, model.interruption),
    splitBrain: at(c.fixed.splitBrain, model.splitBrain),
    // A strategy that never depended on its source (hydration_ms 0 in the run) stays at 0.
    exposure: model.exposure === 'none' ? Math.max(0, c.fixed.exposure) : at(c.fixed.exposure, 'bulk'),
    migration: at(c.fixed.migration, 'bulk'),
    transfer,
  };
}
