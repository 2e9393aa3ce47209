import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool } from '../lab/exec.js';
import { REQUIRED_TOOLS } from '../lab/doctor.js';
import { openLab } from '../lab/lab.js';
import { Ledger } from '../lab/ledger.js';
import { ResourceScope } from '../lab/scope.js';
import { describeTool } from '../lab/tools.js';
import { collectMeta } from '../report/meta.js';
import { ResultsDir } from '../report/results-dir.js';
import { failedRow, resultRow } from '../report/rows.js';
import { summaryTable } from '../report/summary.js';
import { timelineRows } from '../report/timeline-rows.js';
import { formatBitRate, formatBytes } from '../scenario/units.js';
import { ScenarioError, validateScenario, type RawScenario, type Scenario } from '../scenario/scenario.js';
import { getStrategy, resolveStrategies } from '../strategy/registry.js';
import { resolveBackend } from '../transfer/clone/registry.js';
import { RepetitionError, runRepetition } from '../strategy/run-repetition.js';
import { CLIError, usageError } from './errors.js';
import { Progress } from './progress.js';

export interface RunOptions extends RawScenario {
  out?: string;
}

/** A run id that sorts by time and is unique enough for namespaces: 20261125-201502-3fa9c1. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0')}`;
}

/** Everything that must hold before anything is provisioned; throws exit-2 errors. */
async function preflight(s: Scenario): Promise<void> {
  if (process.getuid?.() !== 0) throw usageError('migbench run needs root (loop devices, network namespaces, tc)');
  for (const t of REQUIRED_TOOLS) {
    if (!(await hasTool(t))) throw usageError(`${describeTool(t)} is not installed (run \`migbench doctor\`)`);
  }
  if (!existsSync(s.backingDir)) throw usageError(`--backing-dir ${s.backingDir} does not exist`);
  try {
    accessSync(s.backingDir, constants.W_OK);
  } catch {
    throw usageError(`--backing-dir ${s.backingDir} is not writable`);
  }
}

/** `migbench run`: validate, provision the lab, run every strategy × repetition, write results. */
export async function runCommand(opts: RunOptions, signal: AbortSignal, version: string): Promise<number> {
  let scenario: Scenario;
  try {
    scenario = validateScenario(opts, resolveStrategies);
  } catch (err) {
    if (err instanceof ScenarioError) throw usageError(err.message);
    throw err;
  }
  await preflight(scenario);
  const cloneBackend = scenario.strategies.some((n) => getStrategy(n).usesClone)
    ? await resolveBackend(scenario.backend).catch((err: Error) => {
        throw usageError(`--backend ${scenario.backend}: ${err.message}`);
      })
    : undefined;
  const why = await cloneBackend?.unavailable();
  if (why) throw usageError(`clone backend ${cloneBackend!.name} cannot run here: ${why}`);
  const progress = new Progress();
  const runId = newRunId();
  const outDir = opts.out ?? join('results', runId);
  const ledger = new Ledger(runId);
  const scope = new ResourceScope(ledger);
  let failures = 0;
  try {
    progress.line(
      `migbench ${runId}: ${scenario.strategies.join(', ')} × ${scenario.reps}; ${formatBytes(scenario.sizeBytes)} volume, ` +
        `${formatBitRate(scenario.writeRateBps)} writes, link ${formatBitRate(scenario.linkBps)}, latency ${scenario.latencyMs} ms` +
        (cloneBackend ? `; clone backend ${cloneBackend.name}` : ''),
    );
    progress.status('provisioning the lab and measuring the link…');
    const lab = await openLab(scope, runId, scenario);
    progress.line(`link: asked ${formatBitRate(scenario.linkBps)}, measured ${formatBitRate(lab.link.measuredBps)}; request round trip ${lab.link.requestRttMs.toFixed(2)} ms`);
    const results = new ResultsDir(outDir, await collectMeta(runId, scenario, lab.link, version, cloneBackend?.name));
    for (let rep = 1; rep <= scenario.reps; rep++) {
      // Strategies interleaved within each repetition, so slow drift hits all alike.
      for (const name of scenario.strategies) {
        signal.throwIfAborted();
        const label = `[rep ${rep}/${scenario.reps}] ${name}`;
        const repSignal = AbortSignal.any([signal, AbortSignal.timeout(scenario.timeoutMs)]);
        try {
          const r = await runRepetition({
            scope,
            runId,
            scenario,
            hosts: lab.hosts,
            link: lab.link,
            strategy: getStrategy(name),
            cloneBackend,
            rep,
            workDir: lab.workDir,
            signal: repSignal,
            onStep: (step) => progress.status(`${label}: ${step}…`),
          });
          const row = resultRow(runId, scenario, lab.link, r);
          results.add(row, timelineRows(runId, r, scenario.windowMs));
          progress.line(
            `${label}: interruption ${row.interruption_ms} ms, split brain ${row.split_brain_ms} ms, lost ${formatBytes(Number(row.lost_bytes))}, ` +
              `diverged ${formatBytes(Number(row.diverged_bytes))}, migration ${row.migration_ms} ms`,
          );
        } catch (err) {
          if (signal.aborted) throw err;
          failures++;
          const message = err instanceof RepetitionError ? err.message : String(err);
          const why = repSignal.aborted ? `${message} (timed out after ${scenario.timeoutMs / 1000} s)` : message;
          results.add(failedRow(runId, scenario, lab.link, name, rep, why));
          progress.line(`${label}: FAILED — ${why}`);
        }
      }
    }
    results.finish();
    process.stdout.write(`\n${summaryTable(results.runs)}\n\nresults: ${outDir}/runs.csv, timeline.csv, meta.json\n`);
  } finally {
    progress.status('releasing the lab…');
    await scope.close();
    ledger.finished();
    progress.line('lab released');
  }
  if (failures) throw new CLIError(`${failures} repetition(s) failed; see the error column of ${outDir}/runs.csv`, 1);
  return 0;
}
