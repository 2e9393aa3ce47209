#!/usr/bin/env node
/**
 * The one entry point: parses argv, owns signals and the exit code. Every other module
 * returns values or throws; only this file touches `process.exit`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { DEFAULTS } from '../scenario/scenario.js';
import { packageRoot } from '../package-root.js';
import { cleanupCommand } from './cleanup.js';
import { doctorCommand } from './doctor.js';
import { CLIError } from './errors.js';
import { runCommand, type RunOptions } from './run.js';
import type { ReportOptions } from './report.js';
import { COMPARE_DEFAULTS, compareCommand, type CompareCliOptions } from './compare.js';
import { planCommand, type PlanOptions } from './plan.js';

const version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

/** Builds the command tree; `act` receives the chosen command's promise of an exit code. */
export function buildProgram(signal: AbortSignal, act: (p: Promise<number>) => void): Command {
  const program = new Command('migbench')
    .description('Benchmark strategies for moving a live volume between Linux hosts')
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run `migbench help` for usage)');

  const d = DEFAULTS;
  program
    .command('run')
    .description('provision the lab, run strategies, write results/<run-id>/; numeric options take comma lists (a sweep)')
    .option('--scenario <file>', 'JSON options or a sweep matrix (lists); options on the command line win')
    .option('--strategy <list>', 'strategies, comma-separated, or all / all-orderings', d.strategy)
    .option('--size <size>', 'volume size (IEC or SI: 64MiB, 1GB)', d.size)
    .option('--block-size <size>', 'workload block size (power of two, ≥ 512 B, divides --size)', d.blockSize)
    .option('--write-rate <rate>', 'stamped write rate (8MB/s, 100Mbit/s)', d.writeRate)
    .option('--read-rate <rate>', 'scheduled reads per second', d.readRate)
    .option('--link <rate>', 'link bandwidth A→B (tc tbf)', d.link)
    .option('--latency <duration>', 'added per-request latency on the source export', d.latency)
    .option('--reps <n>', 'repetitions (strategies interleaved)', d.reps)
    .option('--backing-dir <dir>', 'where sparse backing files live (tmpfs or a real disk)', d.backingDir)
    .option('--boot-cmd <cmd>', 'command run on B as part of boot (stands in for a VM or service start)')
    .option('--warmup <duration>', 'baseline window on A before the migration', d.warmup)
    .option('--health <duration>', 'boot is done once B has acknowledged writes this long', d.health)
    .option('--settle <duration>', 'how long B runs after the last step', d.settle)
    .option('--timeout <duration>', 'limit for one strategy × repetition', d.timeout)
    .option('--window <duration>', 'timeline.csv window width', d.window)
    .option('--backend <name>', 'clone backend: auto, qemu, dm-clone', d.backend)
    .option('--region-size <size>', 'hydration granularity (qcow2 cluster, dm-clone region)', d.regionSize)
    .option('--hydration-rate <rate>', 'background hydration limit, or unlimited', d.hydrationRate)
    .option('--hydration-inflight <size>', 'background hydration bytes in flight, or auto (2 × measured bandwidth-delay product, ≥ 512KiB)', d.hydrationInflight)
    .option('--hydration-threshold <regions>', 'dm-clone hydration_threshold')
    .option('--hydration-batch <regions>', 'dm-clone hydration_batch_size')
    .option('--probe <name>', 'read-latency probe: stamped (the instance checks every read) or fio (per-I/O latency log)', d.probe)
    .option('--tracking <name>', 'precopy dirty tracking: auto (dm-era where the kernel has it), qemu (dirty bitmaps), dm-era', d.tracking)
    .option('--max-rounds <n>', 'precopy: most copy passes while A runs (the full copy included)', d.maxRounds)
    .option('--converge-bytes <size>', 'precopy: stop iterating once the dirty set is at most this', d.convergeBytes)
    .option('--backup-age <duration>', 'backup-restore: how long before the kill the backup is taken', d.backupAge)
    .option('--workload <name>', 'stamped (block writer) or http (service on ext4, clients through a front door)', d.workload)
    .option('--http-connections <n>', 'HTTP workload: concurrent client connections', d.httpConnections)
    .option('--volumes <n>', 'drain N volumes A→B at once over the one link', d.volumes)
    .option('--stagger <duration>', 'delay between the migration starts of a drain\'s volumes', d.stagger)
    .option('--out <dir>', 'results directory (default results/<run-id>)')
    .action((opts: RunOptions, cmd: Command) => {
      const fromCommandLine = new Set(Object.keys(opts).filter((k) => cmd.getOptionValueSource(k) === 'cli'));
      act(runCommand(opts, signal, version, fromCommandLine));
    });

  program
    .command('report')
    .description('plots (SVG, PNG) and a self-contained report.html from a results directory')
    .argument('<dir>', 'results directory (runs.csv, timeline.csv, meta.json)')
    .option('--out <dir>', 'where to write the report (default: the results directory)')
    .option('--compare <file>', 'show the verdict of `migbench compare --json FILE` on the page')
    // Loaded on use: vega, vega-lite and resvg would slow every other command's start.
    .action((dir: string, opts: ReportOptions) => act(import('./report.js').then((m) => m.reportCommand(dir, opts))));
  program
    .command('compare')
    .description('compare two runs per strategy and metric; exit 0 no regression, 1 regression, 2 bad input')
    .argument('<base>', 'results directory of the baseline')
    .argument('<candidate>', 'results directory to judge')
    .option('--threshold <pct>', 'relative change of a median that counts as a regression (the whole CI must be beyond it)', COMPARE_DEFAULTS.threshold)
    .option('--metrics <list>', 'metrics that can fail the comparison (the rest are reported)', COMPARE_DEFAULTS.metrics)
    .option('--markdown <file>', 'append the Markdown summary to FILE (e.g. $GITHUB_STEP_SUMMARY)')
    .option('--bmf <file>', "write the candidate's medians in Bencher Metric Format (JSON)")
    .option('--json <file>', 'write the whole comparison as JSON')
    .action((base: string, candidate: string, opts: CompareCliOptions) => act(compareCommand(base, candidate, opts)));
  program
    .command('plan')
    .description('fit per-strategy models on a run and predict interruption and drain time for a fleet')
    .argument('<dir>', 'results directory')
    .option('--size <size>', 'volume size of the fleet')
    .option('--link <rate>', 'link rate of the fleet')
    .option('--volumes <n>', 'volumes to drain')
    .option('--concurrency <n>', 'volumes migrated at once (they share the link)', '1')
    .option('--write-rate <rate>', 'write rate per volume (checked against the measured range)')
    .action((dir: string, opts: PlanOptions) => act(planCommand(dir, opts)));
  program.command('doctor').description('check this machine for everything the lab needs').action(() => act(doctorCommand()));
  program.command('cleanup').description('release what killed runs left (only what migbench created)').action(() => act(cleanupCommand()));
  return program;
}

async function main(controller: AbortController): Promise<number> {
  let signals = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    signals++;
    process.stderr.write(`\n${name}: stopping and releasing the lab${signals > 1 ? ' (already stopping)' : ''}…\n`);
    controller.abort(new CLIError(`interrupted by ${name}`, 1));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  let pending: Promise<number> | undefined;
  try {
    await buildProgram(controller.signal, (p) => (pending = p)).parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  return pending ? await pending : 0;
}

const controller = new AbortController();
main(controller).then(
  (code) => process.exit(controller.signal.aborted ? 130 : code),
  (err: unknown) => {
    if (controller.signal.aborted) {
      // Whatever step was running failed because we aborted it; the lab is released.
      process.stderr.write(`migbench: ${(controller.signal.reason as Error).message}\n`);
      process.exit(130);
    }
    if (err instanceof CLIError) {
      process.stderr.write(`migbench: ${err.message}\n`);
      process.exit(err.exitCode);
    }
    process.stderr.write(`migbench: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
