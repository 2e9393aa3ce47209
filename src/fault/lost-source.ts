/**
 * A source lost for good (`source-crash`) under a strategy that copies before it boots
 * (the orderings' copies, precopy, mirror, backup-restore): the copy fails, and that
 * failure is the benchmark's result, not an error. B boots on what it has, as an operator
 * with nothing else would; the verifier then measures what that cost (lost bytes).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Host } from '../host/host.js';
import { boot, kill } from '../strategy/primitives.js';
import type { MigrationContext, StrategyOutcome } from '../strategy/context.js';

/** What a strategy's failure means under a fault. */
export interface SourceLossInput {
  /** The fault took the source for good (and has started). */
  sourceLost: boolean;
  /** The repetition was aborted (timeout, interrupt): a failure whatever the fault. */
  aborted: boolean;
  /** The migration's progress towards B when it failed (0..1), as the strategy reported it. */
  progress: number;
  /** Bytes on B's device when it failed (its sparse backing file's allocation), if known. */
  presentBytes?: number | undefined;
  sizeBytes: number;
  error: unknown;
}

/**
 * The unrecovered migration `i` describes, or undefined when the failure is an error (no
 * source lost, or aborted). Unavailable: the part of the volume the copy had not reached.
 * Pure.
 */
export function classifySourceLoss(i: SourceLossInput): NonNullable<StrategyOutcome['unrecovered']> | undefined {
  if (!i.sourceLost || i.aborted) return undefined;
  // nbdcopy reports progress in large work items: what B's device holds is the finer measure.
  const done = Math.max(Math.min(1, Math.max(0, i.progress)) * i.sizeBytes, Math.min(i.sizeBytes, i.presentBytes ?? 0));
  const why = i.error instanceof Error ? i.error.message : String(i.error);
  return { unavailableBytes: Math.round(i.sizeBytes - done), why };
}

/**
 * Bytes allocated in the sparse file behind loop device `device` (B's destination volume
 * starts empty, and the volume holds no zero blocks, so this is what was copied), or
 * undefined when it is not a loop device. On a real host (`on` with a work path of its
 * own) the host that made the device is asked, never this machine's /sys.
 */
export async function loopAllocatedBytes(device: string, on?: Host): Promise<number | undefined> {
  if (on?.workPath) {
    const out = await on
      .run('sh', ['-c', 'stat -c "%b %B" -- "$(cat "/sys/block/$1/loop/backing_file")"', 'sh', basename(device)])
      .catch(() => '');
    const [blocks, unit] = out.trim().split(' ').map(Number);
    return blocks !== undefined && unit !== undefined && Number.isFinite(blocks) && Number.isFinite(unit) ? blocks * unit : undefined;
  }
  try {
    const backing = (await readFile(`/sys/block/${basename(device)}/loop/backing_file`, 'utf8')).trim();
    return (await stat(backing)).blocks * 512;
  } catch {
    return undefined;
  }
}

/**
 * Ends a migration whose source was lost: A's workload killed if it still ran (A's host
 * is gone), B booted on its device as the copy left it. Returns the outcome to record.
 */
export async function endOnLostSource(ctx: MigrationContext, unrecovered: NonNullable<StrategyOutcome['unrecovered']>): Promise<StrategyOutcome> {
  if (ctx.timeline.get('kill_start') === undefined) await kill(ctx);
  const up = ctx.timeline.get('first_ack_dest');
  const dest = up !== undefined ? { device: ctx.dest.device, firstAckNs: up } : await boot(ctx);
  return { dest, unrecovered };
}
