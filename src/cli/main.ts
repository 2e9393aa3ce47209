#!/usr/bin/env node
/**
 * The one entry point: parses argv, owns signals and the exit code. Every other module
 * returns values or throws; only this file touches `process.exit`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { packageRoot } from '../package-root.js';
import { cleanupCommand } from './cleanup.js';
import { doctorCommand } from './doctor.js';
import type { HostsOptions } from './hosts-option.js';
import { CLIError } from './errors.js';
import { runCommand, type RunOptions } from './run.js';
import { addRunOptions } from './run-options.js';
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

  addRunOptions(
    program
      .command('run')
      .description('provision the lab, run strategies, write results/<run-id>/; sweepable options take comma lists (a sweep)'),
  )
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
    .description('compare two runs per strategy and metric; exit 0 no regression, 1 regression, 2 bad input (or, with --strict-env, a different environment)')
    .argument('<base>', 'results directory of the baseline')
    .argument('<candidate>', 'results directory to judge')
    .option('--threshold <pct>', 'relative change of a median that counts as a regression (the whole CI must be beyond it)', COMPARE_DEFAULTS.threshold)
    .option('--metrics <list>', 'metrics that can fail the comparison (the rest are reported)', COMPARE_DEFAULTS.metrics)
    .option('--markdown <file>', 'append the Markdown summary to FILE (e.g. $GITHUB_STEP_SUMMARY)')
    .option('--bmf <file>', "write the candidate's medians in Bencher Metric Format (JSON)")
    .option('--json <file>', 'write the whole comparison as JSON')
    .option('--strict-env', 'exit 2 when the environment differs (backend, tracking, kernel, CPU, tool versions, measured link beyond ±10 %)')
    .action((base: string, candidate: string, opts: CompareCliOptions) => act(compareCommand(base, candidate, opts)));
  program
    .command('plan')
    .description('predict interruption, exposure and drain time of a fleet: physics (bytes / link share) calibrated on a run')
    .argument('<dir>', 'results directory')
    .option('--size <size>', 'volume size of the fleet')
    .option('--link <rate>', 'the one link the fleet drains over')
    .option('--volumes <n>', 'volumes to drain')
    .option('--concurrency <n>', 'volumes migrated at once (they share the link)', '1')
    .option('--write-rate <rate>', 'write rate per volume (checked against the measured range)')
    .option('--strategy <list>', 'strategies to plan, comma-separated (default: every strategy in the run)')
    .option('--json [file]', 'the plan as JSON: on stdout instead of text, or into FILE')
    .action((dir: string, opts: PlanOptions) => act(planCommand(dir, opts)));
  program
    .command('doctor')
    .description('check this machine for everything the lab needs, or with --hosts the real hosts over SSH')
    .option('--hosts <file>', 'check the hosts of an inventory (docs/remote-hosts.md) instead of this machine')
    .option('--host-a <url>', 'host A as ssh://user@host[:port]')
    .option('--host-b <url>', 'host B as ssh://user@host[:port]')
    .action((opts: HostsOptions) => act(doctorCommand(opts)));
  program
    .command('cleanup')
    .description('release what killed runs left (only what migbench created), here and with --hosts on each host')
    .option('--hosts <file>', 'also on the hosts of an inventory (docs/remote-hosts.md)')
    .option('--host-a <url>', 'host A as ssh://user@host[:port]')
    .option('--host-b <url>', 'host B as ssh://user@host[:port]')
    .action((opts: HostsOptions) => act(cleanupCommand(opts)));
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

/** Exits once stdout and stderr have flushed: a piped reader must get every byte written. */
function exit(code: number): void {
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

const controller = new AbortController();
main(controller).then(
  (code) => exit(controller.signal.aborted ? 130 : code),
  (err: unknown) => {
    if (controller.signal.aborted) {
      // Whatever step was running failed because we aborted it; the lab is released.
      process.stderr.write(`migbench: ${(controller.signal.reason as Error).message}\n`);
      return exit(130);
    }
    if (err instanceof CLIError) {
      process.stderr.write(`migbench: ${err.message}\n`);
      return exit(err.exitCode);
    }
    process.stderr.write(`migbench: ${(err as Error)?.stack ?? String(err)}\n`);
    exit(1);
  },
);
