/**
 * The one declaration of every `migbench run` option. The command line (commander), the
 * defaults, the sweepable set, the scenario-file schema, the raw option type and the
 * option table in docs/options.md are all derived from RUN_OPTIONS, so they cannot drift.
 * Pure data: per-field parsing lives in scenario.ts, cross-field checks too.
 */

/** Help groups, in the order `migbench run --help` and docs/options.md show them. */
export const OPTION_GROUPS = [
  'What to run',
  'Volume and workload',
  'Link',
  'Timing',
  'Clone and hydration',
  'Pre-copy / mirror / backup',
  'Application workload and drains',
  'Faults',
  'Output',
] as const;
export type OptionGroup = (typeof OPTION_GROUPS)[number];

/**
 * What an option's value is. `strategies`: a comma list of strategy names (not a sweep);
 * `size`, `rate` (bits or bytes per second), `event-rate` (per second), `duration`, `count`
 * (a whole number ≥ 1) are parsed by units.ts; `enum` is one of `choices`; `text` and `path`
 * are taken as typed; `file` is read by the CLI; `flag` takes no value.
 */
export type OptionKind = 'strategies' | 'size' | 'rate' | 'event-rate' | 'duration' | 'count' | 'enum' | 'text' | 'path' | 'file' | 'flag';

/** One `run` option. */
export interface OptionDecl {
  /** The long flag without dashes: `block-size`; also the scenario-file key. */
  readonly flag: string;
  /** The RawScenario property (commander's camel case of the flag). */
  readonly prop: string;
  readonly kind: OptionKind;
  /** The placeholder in `--help`: `<size>`. */
  readonly arg?: string;
  /** `enum`: the values it takes. */
  readonly choices?: readonly string[];
  /** Words taken besides the kind's values (`unlimited`, `auto`). */
  readonly keywords?: readonly string[];
  /** The value used when neither the command line nor a scenario file sets it; absent: unset. */
  readonly default?: string;
  /** Takes a comma list (a scenario-file list): each value is a sweep point. */
  readonly sweepable?: boolean;
  /** False for options of the command line only (`--scenario`, `--out`, `--dry-run`). */
  readonly inFile?: boolean;
  readonly group: OptionGroup;
  readonly help: string;
  /** A valid value, for the docs and the round-trip test. */
  readonly example: string;
}

export const BACKENDS = ['auto', 'qemu', 'dm-clone'] as const;
export const PROBES = ['stamped', 'fio'] as const;
export const TRACKING_CHOICES = ['auto', 'qemu', 'dm-era'] as const;
/** Workloads a run can drive. */
export const WORKLOADS = ['stamped', 'http', 'postgres'] as const;

/** Every `run` option, grouped; the order of the sweepable ones orders sweep labels. */
export const RUN_OPTIONS = [
  // What to run
  { flag: 'scenario', prop: 'scenario', kind: 'file', arg: 'file', inFile: false, group: 'What to run', help: 'JSON options or a sweep matrix (lists); options on the command line win', example: 'bench/scenarios/nightly.json' },
  { flag: 'strategy', prop: 'strategy', kind: 'strategies', arg: 'list', default: 'all', group: 'What to run', help: 'strategies, comma-separated, or all / all-orderings', example: 'kill-copy-boot,async-clone' },
  { flag: 'reps', prop: 'reps', kind: 'count', arg: 'n', default: '3', group: 'What to run', help: 'repetitions (strategies interleaved)', example: '5' },
  // Real hosts over SSH (docs/remote-hosts.md)
  { flag: 'hosts', prop: 'hosts', kind: 'file', arg: 'file', inFile: false, group: 'What to run', help: 'real hosts A and B over SSH instead of the embedded lab: an inventory (JSON or YAML, docs/remote-hosts.md)', example: 'hosts.yaml' },
  { flag: 'host-a', prop: 'hostA', kind: 'text', arg: 'url', inFile: false, group: 'What to run', help: 'host A as ssh://user@host[:port] (with --host-b; data in /var/tmp/migbench, nothing shaped)', example: 'ssh://root@a.example' },
  { flag: 'host-b', prop: 'hostB', kind: 'text', arg: 'url', inFile: false, group: 'What to run', help: 'host B as ssh://user@host[:port] (with --host-a)', example: 'ssh://root@b.example' },
  { flag: 'max-clock-uncertainty', prop: 'maxClockUncertainty', kind: 'duration', arg: 'duration', inFile: false, group: 'What to run', help: 'with real hosts: refuse (exit 2) when a host\'s clock offset to the controller is known less well than this; default 2ms (docs/remote-hosts.md, "Clocks")', example: '5ms' },
  { flag: 'dry-run', prop: 'dryRun', kind: 'flag', inFile: false, group: 'What to run', help: 'validate and print the expanded plan and a wall-time estimate; provisions nothing, needs no root', example: '' },
  // Volume and workload
  { flag: 'size', prop: 'size', kind: 'size', arg: 'size', default: '256MiB', sweepable: true, group: 'Volume and workload', help: 'volume size (IEC or SI: 64MiB, 1GB)', example: '64MiB' },
  { flag: 'block-size', prop: 'blockSize', kind: 'size', arg: 'size', default: '4KiB', sweepable: true, group: 'Volume and workload', help: 'workload block size (power of two, ≥ 512 B, divides --size)', example: '64KiB' },
  { flag: 'write-rate', prop: 'writeRate', kind: 'rate', arg: 'rate', default: '8MB/s', sweepable: true, group: 'Volume and workload', help: 'stamped write rate (8MB/s, 100Mbit/s)', example: '16MB/s' },
  { flag: 'read-rate', prop: 'readRate', kind: 'event-rate', arg: 'rate', default: '200/s', sweepable: true, group: 'Volume and workload', help: 'scheduled reads per second', example: '500/s' },
  { flag: 'write-pattern', prop: 'writePattern', kind: 'text', arg: 'pattern', default: 'uniform', sweepable: true, group: 'Volume and workload', help: 'stamped workload: which blocks the writes go to: uniform, zipf:S (skew S), hotset:F/P (fraction F of the blocks takes fraction P of the writes), sequential[:F] (a log that wraps, over the volume or fraction F of it), or a mix like 80%hotset:0.05/0.95+20%sequential; hot blocks are scattered over the volume (docs/workloads.md)', example: 'hotset:0.05/0.95' },
  { flag: 'read-pattern', prop: 'readPattern', kind: 'text', arg: 'pattern', default: 'uniform', sweepable: true, group: 'Volume and workload', help: "stamped workload: which blocks the instances' reads go to (as --write-pattern; the same hot blocks)", example: 'zipf:0.99' },
  { flag: 'probe', prop: 'probe', kind: 'enum', arg: 'name', choices: PROBES, default: 'fio', group: 'Volume and workload', help: 'read-latency probe: fio (times the reads; the instances still check content at up to 50/s) or stamped (the instances time and check every read; their timer and thread pool add ~1 ms per read)', example: 'stamped' },
  { flag: 'backing-dir', prop: 'backingDir', kind: 'path', arg: 'dir', default: '/dev/shm', group: 'Volume and workload', help: 'where sparse backing files live (tmpfs or a real disk)', example: '/var/tmp' },
  { flag: 'boot-cmd', prop: 'bootCmd', kind: 'text', arg: 'cmd', group: 'Volume and workload', help: 'command run on B as part of boot (stands in for a VM or service start)', example: 'sleep 0.2' },
  // Link
  { flag: 'link', prop: 'link', kind: 'rate', arg: 'rate', default: '1Gbit/s', sweepable: true, group: 'Link', help: 'link bandwidth A→B (tc tbf)', example: '200Mbit/s' },
  { flag: 'latency', prop: 'latency', kind: 'duration', arg: 'duration', default: '0ms', sweepable: true, group: 'Link', help: 'added per-request latency on the source export', example: '2ms' },
  // Timing
  { flag: 'warmup', prop: 'warmup', kind: 'duration', arg: 'duration', default: '2s', sweepable: true, group: 'Timing', help: 'baseline window on A before the migration', example: '1s' },
  { flag: 'health', prop: 'health', kind: 'duration', arg: 'duration', default: '500ms', sweepable: true, group: 'Timing', help: 'boot is done once B has acknowledged writes this long', example: '250ms' },
  { flag: 'settle', prop: 'settle', kind: 'duration', arg: 'duration', default: '2s', sweepable: true, group: 'Timing', help: 'how long B runs after the last step', example: '1s' },
  { flag: 'timeout', prop: 'timeout', kind: 'duration', arg: 'duration', default: '10min', group: 'Timing', help: 'limit for one strategy × repetition', example: '5min' },
  { flag: 'window', prop: 'window', kind: 'duration', arg: 'duration', default: '250ms', group: 'Timing', help: 'timeline.csv window width', example: '100ms' },
  // Clone and hydration
  { flag: 'backend', prop: 'backend', kind: 'enum', arg: 'name', choices: BACKENDS, default: 'auto', group: 'Clone and hydration', help: 'clone backend: auto (dm-clone where the kernel has it, else qemu), qemu, dm-clone', example: 'qemu' },
  { flag: 'region-size', prop: 'regionSize', kind: 'size', arg: 'size', default: '64KiB', sweepable: true, group: 'Clone and hydration', help: 'hydration granularity (qcow2 cluster, dm-clone region)', example: '256KiB' },
  { flag: 'hydration-rate', prop: 'hydrationRate', kind: 'rate', arg: 'rate', keywords: ['unlimited'], default: 'unlimited', sweepable: true, group: 'Clone and hydration', help: 'background hydration limit, or unlimited', example: '100Mbit/s' },
  { flag: 'hydration-inflight', prop: 'hydrationInflight', kind: 'size', arg: 'size', keywords: ['auto'], default: 'auto', sweepable: true, group: 'Clone and hydration', help: 'background hydration bytes in flight, or auto (1 × measured bandwidth-delay product, ≥ 512KiB, in ≥ 8 requests); more only makes the destination\'s on-demand fetches queue behind hydration', example: '1MiB' },
  { flag: 'hydration-yield', prop: 'hydrationYield', kind: 'count', arg: 'n', keywords: ['off'], default: '9', sweepable: true, group: 'Clone and hydration', help: "qemu: pause background hydration while n or more requests wait on B's FUSE connection, until n/2 (dm-clone's rule: hydrate when the destination's own I/O is not waiting; docs/performance.md), or off", example: '6' },
  { flag: 'hydration-threshold', prop: 'hydrationThreshold', kind: 'count', arg: 'regions', sweepable: true, group: 'Clone and hydration', help: 'dm-clone hydration_threshold', example: '4' },
  { flag: 'hydration-batch', prop: 'hydrationBatch', kind: 'count', arg: 'regions', sweepable: true, group: 'Clone and hydration', help: 'dm-clone hydration_batch_size', example: '8' },
  // Pre-copy / mirror / backup
  { flag: 'tracking', prop: 'tracking', kind: 'enum', arg: 'name', choices: TRACKING_CHOICES, default: 'auto', group: 'Pre-copy / mirror / backup', help: 'precopy dirty tracking: auto (dm-era where the kernel has it), qemu (dirty bitmaps), dm-era (needs device-mapper and era_invalidate from thin-provisioning-tools; refused with exit 2 otherwise)', example: 'qemu' },
  { flag: 'max-rounds', prop: 'maxRounds', kind: 'count', arg: 'n', default: '8', sweepable: true, group: 'Pre-copy / mirror / backup', help: 'precopy: most copy passes while A runs (the full copy included)', example: '4' },
  { flag: 'converge-bytes', prop: 'convergeBytes', kind: 'size', arg: 'size', default: '4MiB', sweepable: true, group: 'Pre-copy / mirror / backup', help: 'precopy: stop iterating once the dirty set is at most this', example: '1MiB' },
  { flag: 'backup-age', prop: 'backupAge', kind: 'duration', arg: 'duration', default: '5s', sweepable: true, group: 'Pre-copy / mirror / backup', help: 'backup-restore: how long before the kill the backup is taken', example: '10s' },
  // Application workload and drains
  { flag: 'workload', prop: 'workload', kind: 'enum', arg: 'name', choices: WORKLOADS, default: 'stamped', group: 'Application workload and drains', help: 'stamped (block writer), http (service on ext4, clients through a front door) or postgres (PostgreSQL on ext4, transaction clients through a front door)', example: 'http' },
  { flag: 'http-connections', prop: 'httpConnections', kind: 'count', arg: 'n', default: '4', group: 'Application workload and drains', help: 'HTTP workload: concurrent client connections', example: '8' },
  { flag: 'db-clients', prop: 'dbClients', kind: 'count', arg: 'n', default: '4', group: 'Application workload and drains', help: 'PostgreSQL workload: client connections, each one transaction at a time (closed loop unless --tps)', example: '8' },
  { flag: 'tps', prop: 'tps', kind: 'event-rate', arg: 'rate', group: 'Application workload and drains', help: 'PostgreSQL workload: open loop, transactions started per second over the --db-clients connections (unset: closed loop)', example: '200/s' },
  { flag: 'volumes', prop: 'volumes', kind: 'count', arg: 'n', default: '1', group: 'Application workload and drains', help: 'drain N volumes (1–16) A→B at once over the one link', example: '2' },
  { flag: 'stagger', prop: 'stagger', kind: 'duration', arg: 'duration', default: '0ms', group: 'Application workload and drains', help: "delay between the migration starts of a drain's volumes", example: '500ms' },
  // Faults (docs/faults.md)
  { flag: 'fault', prop: 'fault', kind: 'text', arg: 'spec', keywords: ['none'], default: 'none', sweepable: true, group: 'Faults', help: 'inject a fault during the migration: KIND[:ARG]@PHASE[+DELAY][/DURATION], e.g. link-down@hydration+2s/3s, source-crash@hydration:50% (docs/faults.md), or none; refused when a chosen strategy never reaches the phase', example: 'link-down@hydration+2s/3s' },
  // Output
  { flag: 'out', prop: 'out', kind: 'path', arg: 'dir', inFile: false, group: 'Output', help: 'results directory (default results/<run-id>)', example: 'results/nightly' },
  { flag: 'overwrite', prop: 'overwrite', kind: 'flag', inFile: false, group: 'Output', help: 'replace the results already in --out (refused otherwise)', example: '' },
  { flag: 'append', prop: 'append', kind: 'flag', inFile: false, group: 'Output', help: "add this run's rows to the results already in --out (same columns only; meta.json kept, this run's in meta-<run-id>.json)", example: '' },
] as const satisfies readonly OptionDecl[];

type Decl = (typeof RUN_OPTIONS)[number];
/** Declarations a scenario file can set (all but the command-line-only ones). */
type ScenarioDecl = Exclude<Decl, { inFile: false }>;
/** RawScenario property names. */
export type ScenarioProp = ScenarioDecl['prop'];
type PropWithDefault = Extract<ScenarioDecl, { default: string }>['prop'];
/** Options that may take a list. */
export type SweepKey = Extract<ScenarioDecl, { sweepable: true }>['prop'];
/** The values an `enum` option takes, by property: `ChoiceOf<'backend'>` = 'auto' | 'qemu' | 'dm-clone'. */
export type ChoiceOf<P extends Extract<ScenarioDecl, { kind: 'enum' }>['prop']> = Extract<ScenarioDecl, { prop: P }>['choices'][number];

/**
 * The options as typed on the command line or read from a scenario file (all strings):
 * options with a default are always present, the others may be unset.
 */
export type RawScenario = { [K in PropWithDefault]: string } & { [K in Exclude<ScenarioProp, PropWithDefault>]?: string | undefined };

/** The declarations a scenario file can set, in declaration order. */
export const SCENARIO_OPTIONS: readonly (OptionDecl & { prop: ScenarioProp })[] = RUN_OPTIONS.filter(
  (o): o is ScenarioDecl => !('inFile' in o && o.inFile === false),
);

/** The defaults of every option that has one. */
export const DEFAULTS: RawScenario = Object.fromEntries(
  SCENARIO_OPTIONS.flatMap((o) => (o.default === undefined ? [] : [[o.prop, o.default]])),
) as RawScenario;

/** Sweepable options (property → flag), in declaration order. */
export const SWEEPABLE = Object.fromEntries(SCENARIO_OPTIONS.filter((o) => o.sweepable).map((o) => [o.prop, o.flag])) as Record<SweepKey, string>;

/** Command lines shown under "Examples:" in `migbench run --help` and in docs/options.md. */
export const RUN_EXAMPLES: readonly { command: string; what: string }[] = [
  { command: 'migbench run --strategy kill-copy-boot,async-clone --size 64MiB --reps 5', what: 'two strategies, five repetitions each' },
  { command: 'migbench run --strategy precopy --size 64MiB,256MiB --link 200Mbit/s,1Gbit/s', what: 'a sweep: 2 sizes × 2 links' },
  { command: 'migbench run --scenario bench/scenarios/nightly.json --reps 3', what: 'a scenario file, with --reps from the command line' },
  { command: 'migbench run --workload http --strategy async-clone --volumes 2 --dry-run', what: 'print the plan and an estimate; run nothing' },
];
