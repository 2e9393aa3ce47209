import { HTTP_STRATEGIES, validateAppOptions, type AppOptions } from './app-options.js';
import { BACKENDS, PROBES, TRACKING_CHOICES, type ChoiceOf, type RawScenario } from './options.js';
import { formatPattern, parsePattern } from '../workload/pattern/spec.js';
import { parseFaultSpec, type FaultSpec } from '../fault/spec.js';
import { faultWorkloadProblem } from '../fault/workloads.js';
import { formatBitRate, formatBytes, parseCount, parseDuration, parseEventRate, parseRate, parseSize } from './units.js';

/** A validated benchmark scenario: everything a run needs, in base units. */
export interface Scenario extends AppOptions {
  strategies: string[];
  sizeBytes: number;
  blockSize: number;
  /** Stamped write rate of the workload, bits per second. */
  writeRateBps: number;
  /** Scheduled reads per second. */
  readRate: number;
  /** Where the stamped writes go: a canonical pattern (src/workload/pattern/spec.ts), `uniform` by default. */
  writePattern: string;
  /** Where the stamped instances' reads go, likewise. */
  readPattern: string;
  /** Link rate, bits per second. */
  linkBps: number;
  /** Added per-request latency on the source export, ms. */
  latencyMs: number;
  reps: number;
  backingDir: string;
  bootCmd: string | undefined;
  /** Baseline window on A before the migration starts, ms. */
  warmupMs: number;
  /** Boot completes once the new instance has acknowledged writes for this long, ms. */
  healthMs: number;
  /** How long the destination keeps running after the last step, ms. */
  settleMs: number;
  /** Limit for one strategy × repetition, ms. */
  timeoutMs: number;
  /** Width of a timeline.csv window, ms. */
  windowMs: number;
  /** Clone backend for clone strategies. */
  backend: ChoiceOf<'backend'>;
  /** Hydration granularity (qcow2 cluster / dm-clone region), bytes. */
  regionSizeBytes: number;
  /** Background hydration limit, bits per second; 0 = unlimited. */
  hydrationRateBps: number;
  /** Background hydration bytes in flight; 'auto' sizes it from the measured link. */
  hydrationInflightBytes: number | 'auto';
  /** qemu: pause hydration while this many FUSE requests wait on B (`--hydration-yield`); undefined = off. */
  hydrationYieldAt: number | undefined;
  /** dm-clone tuning, in regions; undefined = kernel default. */
  hydrationThreshold: number | undefined;
  hydrationBatch: number | undefined;
  /** Who times the reads: the stamped instance (checks every block) or fio (per-I/O latency log). */
  probe: ChoiceOf<'probe'>;
  /** Pre-copy: how A's writes are tracked (QEMU dirty bitmaps or the kernel's dm-era). */
  tracking: ChoiceOf<'tracking'>;
  /** Pre-copy: most copy passes while the source runs (the full copy included). */
  maxRounds: number;
  /** Pre-copy: stop iterating once the dirty set is at most this many bytes. */
  convergeBytes: number;
  /** backup-restore: how long before the kill the backup is taken, ms. */
  backupAgeMs: number;
  /** The fault injected during the migration (`--fault`), if any. */
  fault?: FaultSpec | undefined;
}

export { DEFAULTS, type RawScenario } from './options.js';

/** A scenario that cannot run; the message names the option. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

function field<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    // Every parser here is pure: any error it raises is about the input.
    throw new ScenarioError(`--${name}: ${(err as Error).message}`);
  }
}

/** `value` if it is one of `choices`; the error lists them. */
export function oneOf<C extends string>(value: string, choices: readonly C[], what: string): C {
  if ((choices as readonly string[]).includes(value)) return value as C;
  throw new Error(`unknown ${what} "${value}" (${choices.join(', ')})`);
}

/**
 * Validates raw options into a Scenario. `resolveStrategies` expands and checks the
 * strategy list (it knows the registry). Pure: nothing is provisioned here.
 */
export function validateScenario(raw: RawScenario, resolveStrategies: (list: string) => string[]): Scenario {
  // `all` means every strategy the workload can run: the HTTP workload boots by mounting
  // the volume, so the orderings that boot before the copy are not part of its `all`.
  const all = field('strategy', () => resolveStrategies(raw.strategy));
  const strategies = raw.strategy === 'all' && raw.workload !== 'stamped' ? all.filter((n) => HTTP_STRATEGIES.includes(n)) : all;
  const sizeBytes = field('size', () => parseSize(raw.size));
  const blockSize = field('block-size', () => parseSize(raw.blockSize));
  const writeRateBps = field('write-rate', () => parseRate(raw.writeRate));
  const readRate = field('read-rate', () => parseEventRate(raw.readRate));
  const writePattern = field('write-pattern', () => formatPattern(parsePattern(raw.writePattern)));
  const readPattern = field('read-pattern', () => formatPattern(parsePattern(raw.readPattern)));
  // Only the stamped instances choose blocks; another workload would silently ignore a pattern.
  for (const [flag, p] of [['write-pattern', writePattern], ['read-pattern', readPattern]] as const) {
    if (p !== 'uniform' && raw.workload !== 'stamped') throw new ScenarioError(`--${flag} ${p}: only the stamped workload takes a pattern (--workload ${raw.workload})`);
  }
  const linkBps = field('link', () => parseRate(raw.link));
  const latencyMs = field('latency', () => parseDuration(raw.latency));
  const reps = field('reps', () => parseCount(raw.reps, 'repetitions'));
  const warmupMs = field('warmup', () => parseDuration(raw.warmup));
  const healthMs = field('health', () => parseDuration(raw.health));
  const settleMs = field('settle', () => parseDuration(raw.settle));
  const timeoutMs = field('timeout', () => parseDuration(raw.timeout));
  const windowMs = field('window', () => parseDuration(raw.window));
  const backend = field('backend', () => oneOf(raw.backend, BACKENDS, 'backend'));
  const regionSizeBytes = field('region-size', () => parseSize(raw.regionSize));
  const hydrationRateBps = field('hydration-rate', () => (raw.hydrationRate === 'unlimited' ? 0 : parseRate(raw.hydrationRate)));
  const hydrationInflightBytes = raw.hydrationInflight === 'auto' ? 'auto' : field('hydration-inflight', () => parseSize(raw.hydrationInflight));
  if (hydrationInflightBytes !== 'auto' && hydrationInflightBytes < 4096) throw new ScenarioError('--hydration-inflight must be at least 4KiB (or auto)');
  const hydrationYieldAt = raw.hydrationYield === 'off' ? undefined : field('hydration-yield', () => parseCount(raw.hydrationYield, 'requests'));
  const hydrationThreshold = raw.hydrationThreshold === undefined ? undefined : field('hydration-threshold', () => parseCount(raw.hydrationThreshold!, 'regions'));
  const hydrationBatch = raw.hydrationBatch === undefined ? undefined : field('hydration-batch', () => parseCount(raw.hydrationBatch!, 'regions'));
  const probe = field('probe', () => oneOf(raw.probe, PROBES, 'read probe'));
  if (regionSizeBytes < 4096 || (regionSizeBytes & (regionSizeBytes - 1)) !== 0 || regionSizeBytes > 2 * 2 ** 20) {
    throw new ScenarioError('--region-size must be a power of two from 4KiB to 2MiB');
  }

  const tracking = field('tracking', () => oneOf(raw.tracking, TRACKING_CHOICES, 'dirty tracking'));
  const maxRounds = field('max-rounds', () => parseCount(raw.maxRounds, 'rounds'));
  const convergeBytes = field('converge-bytes', () => parseSize(raw.convergeBytes));
  const backupAgeMs = field('backup-age', () => parseDuration(raw.backupAge));
  const fault = raw.fault === 'none' ? undefined : field('fault', () => parseFaultSpec(raw.fault!));

  if (sizeBytes <= 0) throw new ScenarioError('--size must be greater than 0');
  if (blockSize < 512 || (blockSize & (blockSize - 1)) !== 0) {
    throw new ScenarioError(`--block-size ${formatBytes(blockSize)} must be a power of two, at least 512 B`);
  }
  if (sizeBytes % blockSize !== 0) {
    throw new ScenarioError(`--block-size ${formatBytes(blockSize)} does not divide --size ${formatBytes(sizeBytes)}`);
  }
  if (sizeBytes / blockSize > 2 ** 32 - 1) throw new ScenarioError('--size has more than 2^32 blocks; use a larger --block-size');
  if (linkBps <= 0) throw new ScenarioError('--link must be greater than 0');
  if (writeRateBps < 0 || readRate < 0) throw new ScenarioError('rates must not be negative');
  if (windowMs <= 0) throw new ScenarioError('--window must be greater than 0');
  if (timeoutMs <= 0) throw new ScenarioError('--timeout must be greater than 0');
  const transferMs = ((sizeBytes * 8) / linkBps) * 1000;
  if (transferMs > timeoutMs) {
    throw new ScenarioError(
      `--size ${formatBytes(sizeBytes)} needs ${(transferMs / 1000).toFixed(1)} s at ${formatBitRate(linkBps)}, more than --timeout ${(timeoutMs / 1000).toFixed(0)} s`,
    );
  }
  let app: AppOptions;
  try {
    app = validateAppOptions(raw, strategies, sizeBytes);
  } catch (err) {
    throw new ScenarioError((err as Error).message);
  }
  const faultProblem = fault && faultWorkloadProblem(fault, app.workload, app.volumes);
  if (faultProblem) throw new ScenarioError(faultProblem);
  return {
    ...app,
    strategies,
    sizeBytes,
    blockSize,
    writeRateBps,
    readRate,
    writePattern,
    readPattern,
    linkBps,
    latencyMs,
    reps,
    backingDir: raw.backingDir,
    bootCmd: raw.bootCmd,
    warmupMs,
    healthMs,
    settleMs,
    timeoutMs,
    windowMs,
    backend,
    regionSizeBytes,
    hydrationRateBps,
    hydrationInflightBytes,
    hydrationYieldAt,
    hydrationThreshold,
    hydrationBatch,
    probe,
    tracking,
    maxRounds,
    convergeBytes,
    backupAgeMs,
    ...(fault ? { fault } : {}),
  };
}
