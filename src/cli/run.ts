import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool } from '../lab/exec.js';
import { REQUIRED_TOOLS } from '../lab/doctor.js';
import { openLab } from '../lab/lab.js';
import { Ledger } from '../lab/ledger.js';
import { ResourceScope } from '../lab/scope.js';
import { markChildProcesses } from '../lab/run-marker.js';
import { describeTool } from '../lab/tools.js';
import { sweepMeta } from '../results/meta.js';
import { faultPhaseProblem } from '../fault/phases.js';
import { collectMeta } from '../results/provenance.js';
import { ResultsDir } from '../results/results-dir.js';
import { failedRow, resultRow } from '../results/rows.js';
import { summaryTable } from '../analysis/summary.js';
import { repetitionLine } from '../analysis/summary-format.js';
import { timelineRows } from '../results/timeline-rows.js';
import { formatBitRate } from '../scenario/units.js';
import { ScenarioError, type RawScenario, type Scenario } from '../scenario/scenario.js';
import { mergeScenario, parseScenarioText } from '../scenario/scenario-file.js';
import { expandSweep, groupByLink, type SweepPoint } from '../scenario/sweep.js';
import { getStrategy, resolveStrategies } from '../strategy/registry.js';
import { resolveBackend } from '../transfer/clone/registry.js';
import { resolveTracking, trackingProblem } from '../transfer/dirty/tracking.js';
import { RepetitionError, runRepetition } from '../strategy/run-repetition.js';
import { CLIError, usageError } from './errors.js';
import { inventoryOf, type HostsOptions } from './hosts-option.js';
import { Progress } from './progress.js';
import { estimateRunMs, runHeader, totalRepetitions } from './run-header.js';
import { runVolumes } from './run-volumes.js';
import { renderPlan } from './dry-run.js';
import { probeBackingSpace } from './capacity-probe.js';
import { decideOut, inspectOut } from './out-dir.js';
import { checkCapacity } from '../scenario/capacity.js';
import { HTTP_TOOLS, POSTGRES_TOOLS } from '../scenario/app-options.js';
import { PG_BIN } from '../workload/postgres/server.js';
import { parseDuration } from '../scenario/units.js';
import { DEFAULT_MAX_CLOCK_UNCERTAINTY_MS } from '../remote/clock.js';
import { openRemoteLab } from '../remote/remote-lab.js';
import type { RemoteSide } from '../remote/remote-side.js';
import { ClockUncertaintyError, RunClocks } from '../remote/run-clocks.js';
import { remoteHostsMeta, remoteScenarioProblem } from '../remote/remote-run.js';
import { remoteLinkFaultProblem } from '../remote/remote-faults.js';
import { closeConnections, remoteHosts } from '../remote/remote-hosts.js';
import { remoteWorkloadProblem } from '../remote/remote-workload.js';
import { remoteKernelProblem } from '../remote/remote-kernel.js';
import type { RemoteMeta } from '../results/meta.js';

export interface RunOptions extends RawScenario, HostsOptions {
  out?: string;
  /** `--scenario FILE`: JSON options or a sweep matrix, under the command line. */
  scenario?: string;
  /** `--dry-run`: validate, print the plan and an estimate, provision nothing. */
  dryRun?: boolean;
  /** `--overwrite`: replace the results already in `--out`. */
  overwrite?: boolean;
  /** `--append`: add to the results already in `--out`. */
  append?: boolean;
  /** `--max-clock-uncertainty`: with real hosts, the bound on a clock offset's uncertainty. */
  maxClockUncertainty?: string;
}

/** A run id that sorts by time and is unique enough for namespaces: 20261125-201502-3fa9c1. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0')}`;
}

/** Reads `--scenario FILE`; a missing or malformed file is bad input. */
function readScenarioFile(path: string): Partial<RawScenario> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScenarioError(`--scenario ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return parseScenarioText(text, `--scenario ${path}`);
}

/** Everything that must hold before anything is provisioned; throws exit-2 errors. */
async function preflight(s: Scenario, needRoot: boolean, local: boolean): Promise<void> {
  if (needRoot && process.getuid?.() !== 0) throw usageError('migbench run needs root (loop devices, network namespaces, tc)');
  for (const t of REQUIRED_TOOLS) {
    if (!(await hasTool(t))) throw usageError(`${describeTool(t)} is not installed (run \`migbench doctor\`)`);
  }
  // On real hosts the workload's tools are the hosts' (remoteWorkloadProblem), and the
  // backing files go to each host's data directory (doctor --hosts checks it).
  if (!local) return;
  for (const t of s.workload === 'stamped' ? [] : s.workload === 'http' ? HTTP_TOOLS : [...HTTP_TOOLS, ...POSTGRES_TOOLS]) {
    if (!(await hasTool(t))) throw usageError(`--workload ${s.workload}: ${describeTool(t)} is not installed`);
  }
  if (s.workload === 'postgres' && !existsSync(join(PG_BIN, 'postgres'))) throw usageError(`--workload postgres: ${PG_BIN}/postgres is missing (install postgresql-15 and postgresql-contrib)`);
  if (!existsSync(s.backingDir)) throw usageError(`--backing-dir ${s.backingDir} does not exist`);
  try {
    accessSync(s.backingDir, constants.W_OK);
  } catch {
    throw usageError(`--backing-dir ${s.backingDir} is not writable`);
  }
}

/** `migbench run`: validate, provision the lab, run every strategy × repetition, write results. */
export async function runCommand(opts: RunOptions, signal: AbortSignal, version: string, fromCommandLine: ReadonlySet<string> = new Set()): Promise<number> {
  // Real hosts (issue 13): the inventory is checked here (bad input is exit 2).
  const inventory = inventoryOf(opts);
  let points: SweepPoint[];
  try {
    const raw = opts.scenario ? mergeScenario(opts, readScenarioFile(opts.scenario), fromCommandLine) : opts;
    points = expandSweep(raw, resolveStrategies);
  } catch (err) {
    if (err instanceof ScenarioError) throw usageError(err.message, err);
    throw err;
  }
  // The first point stands for the run where one scenario is needed (tools, backend, summary line).
  const scenario: Scenario = points[0]!.scenario;
  let maxClockUncertaintyNs = 0;
  if (inventory) {
    for (const p of points) {
      const why = remoteScenarioProblem(p.scenario);
      if (why) throw usageError(why);
      // `auto` on a real host means qemu's clone and tracking (it would probe this machine's
      // kernel); dm-clone and dm-era run when asked for, once the host has them (remoteKernelProblem).
      if (p.scenario.backend === 'auto') p.scenario.backend = 'qemu';
      if (p.scenario.tracking === 'auto') p.scenario.tracking = 'qemu';
    }
    try {
      maxClockUncertaintyNs = parseDuration(opts.maxClockUncertainty ?? `${DEFAULT_MAX_CLOCK_UNCERTAINTY_MS}ms`) * 1e6;
    } catch (err) {
      throw usageError(`--max-clock-uncertainty: ${(err as Error).message}`, err);
    }
  }
  const requested = { backend: scenario.backend, tracking: scenario.tracking };
  const isRoot = process.getuid?.() === 0;
  await preflight(scenario, !opts.dryRun, !inventory);
  if (inventory && !opts.dryRun) {
    // Every workload of the sweep, on both hosts, before anything is provisioned.
    const pair = remoteHosts(inventory);
    const hosts = Object.values(pair);
    const asks = [...new Set(points.map((p) => p.scenario.workload))].map((w) => () => remoteWorkloadProblem(hosts, w));
    // The kernel pieces (dm-clone and the NBD client on B, dm-era on A), on those hosts.
    for (const p of points) asks.push(() => remoteKernelProblem(pair, p.scenario));
    for (const ask of asks) {
      const lacking = await ask().catch(async (err: unknown) => {
        await closeConnections(hosts);
        throw err;
      });
      if (lacking) {
        await closeConnections(hosts);
        throw usageError(lacking);
      }
    }
  }
  // A dry run without root cannot probe device-mapper; `auto` is then left to the run.
  const probe = <T>(p: Promise<T>): Promise<T | undefined> => (opts.dryRun && !isRoot ? p.catch(() => undefined) : p);
  const usesClone = scenario.strategies.some((n) => getStrategy(n).usesClone);
  const cloneBackend = usesClone
    ? await probe(resolveBackend(scenario.backend)).catch((err: Error) => {
        throw usageError(`--backend ${scenario.backend}: ${err.message}`, err);
      })
    : undefined;
  // On real hosts the backend's tools are B's (doctor --hosts checks them), not this machine's.
  const why = inventory ? undefined : await probe(cloneBackend?.unavailable() ?? Promise.resolve(undefined));
  if (why) throw usageError(`clone backend ${cloneBackend!.name} cannot run here: ${why}`);
  for (const p of points) {
    // Every sweep point is checked before anything is provisioned.
    const tuning = cloneBackend?.tuningProblem(p.scenario);
    if (tuning) throw usageError(`clone backend ${cloneBackend!.name}: ${tuning}${p.label ? ` (sweep point ${p.label})` : ''}`);
    // A fault whose phase never comes in a chosen strategy (issue 12).
    const never = p.scenario.fault && faultPhaseProblem(p.scenario.fault, p.scenario.strategies.map(getStrategy));
    if (never) throw usageError(`${never}${p.label ? ` (sweep point ${p.label})` : ''}`);
  }
  const tracksWrites = scenario.strategies.some((n) => getStrategy(n).tracksWrites);
  // undefined only in a dry run that could not probe.
  let tracking: string | undefined;
  if (tracksWrites) {
    // `--tracking auto` is resolved once, so every repetition (and meta.json) uses the same.
    const resolved = await probe(resolveTracking(scenario.tracking));
    // On real hosts the tracker's tools are A's (doctor --hosts checks them), not this machine's.
    const whyNot = resolved && !inventory && (await probe(trackingProblem(resolved)));
    if (whyNot) throw usageError(`--tracking ${resolved} cannot run here: ${whyNot}`);
    if (resolved) for (const p of points) p.scenario.tracking = resolved;
    tracking = resolved;
  }
  // Room for the largest sweep point, and a results directory that does not hold results
  // by accident: both refused before anything is provisioned.
  const capacity = checkCapacity(
    points.map((p) => ({ sizeBytes: p.scenario.sizeBytes, regionSizeBytes: p.scenario.regionSizeBytes, volumes: p.scenario.volumes, strategies: p.scenario.strategies })),
    probeBackingSpace(scenario.backingDir),
  );
  // A dry run prints its plan first, with the figure, then refuses the same way.
  if (!capacity.fits && !opts.dryRun && !inventory) throw usageError(`the run does not fit: it ${capacity.text}; use a smaller --size or another --backing-dir`);
  const outDecision = opts.out ? decideOut(opts.out, inspectOut(opts.out), opts) : ({ action: 'create' } as const);
  if (outDecision.action === 'refuse') throw usageError(outDecision.why);
  if (opts.dryRun) {
    const needsRoot = 'probing device-mapper needs root';
    process.stdout.write(
      renderPlan({
        points,
        backend: usesClone ? { requested: requested.backend, resolved: cloneBackend?.name, note: needsRoot } : undefined,
        tracking: tracksWrites ? { requested: requested.tracking, resolved: tracking, note: needsRoot } : undefined,
        out: opts.out,
        isRoot,
        capacity: `${capacity.text}${capacity.fits ? '' : ' — DOES NOT FIT'}`,
      }),
    );
    if (!capacity.fits) throw usageError(`the run does not fit: it ${capacity.text}; use a smaller --size or another --backing-dir`);
    return 0;
  }
  const progress = new Progress({ total: totalRepetitions(points), estimateMs: estimateRunMs(points) });
  const runId = newRunId();
  const outDir = opts.out ?? join('results', runId);
  const ledger = new Ledger(runId);
  markChildProcesses(runId);
  const scope = new ResourceScope(ledger);
  let failures = 0;
  // Real hosts: their clocks, once measured.
  let clocks: RunClocks | undefined;
  let remote: Omit<RemoteMeta, 'clocks'> | undefined;
  try {
    progress.line(runHeader({ runId, points, cloneBackend: cloneBackend?.name, tracking: tracksWrites ? scenario.tracking : undefined }));
    const groups = groupByLink(points);
    let results: ResultsDir | undefined;
    for (const [g, group] of groups.entries()) {
      const at = group[0]!.scenario;
      // One lab per link setting: shaped and measured once, released before the next one.
      const labScope = groups.length > 1 ? new ResourceScope(ledger) : scope;
      try {
        progress.status(`provisioning the lab and measuring the link${groups.length > 1 ? ` (${g + 1}/${groups.length})` : ''}…`);
        const labId = groups.length > 1 ? `${runId}-${g}` : runId;
        // Real hosts: their clocks are measured (and a bad one refused) before the link probe.
        const measureClocks = async (sides: RemoteSide[]): Promise<void> => {
          // A link fault must not cut the connection that undoes it (exit 2 before the probe).
          const cutSsh = await remoteLinkFaultProblem(sides, group.flatMap((p) => (p.scenario.fault ? [p.scenario.fault] : [])));
          if (cutSsh) throw usageError(cutSsh);
          progress.status("measuring the hosts' clocks…");
          clocks = await RunClocks.before(labScope, sides, maxClockUncertaintyNs).catch((err: unknown) => {
            throw err instanceof ClockUncertaintyError ? usageError(err.message, err) : err;
          });
          remote = { hosts: remoteHostsMeta(inventory!, sides), max_clock_uncertainty_ms: maxClockUncertaintyNs / 1e6 };
          progress.status('measuring the link…');
        };
        const remoteLab = inventory ? await openRemoteLab(labScope, ledger, labId, at, inventory, measureClocks) : undefined;
        const lab = remoteLab ?? (await openLab(labScope, labId, at));
        progress.line(`link: asked ${group[0]!.raw.link}, measured ${formatBitRate(lab.link.measuredBps)}; request round trip ${lab.link.requestRttMs.toFixed(2)} ms`);
        results ??= new ResultsDir(outDir, sweepMeta(await collectMeta(runId, scenario, lab.link, version, cloneBackend?.name), points), {
          appendAs: outDecision.action === 'append' ? runId : undefined,
        });
        if (remote && clocks) results.setRemote({ ...remote, clocks: clocks.record() });
        results.addLink({ requested_bps: at.linkBps, latency_ms: at.latencyMs, measured_bps: Math.round(lab.link.measuredBps), request_rtt_ms: lab.link.requestRttMs });
        for (let rep = 1; rep <= scenario.reps; rep++) {
          // Strategies (and sweep points) interleaved within each repetition, so slow drift hits all alike.
          for (const point of group) {
            const s = point.scenario;
            for (const name of s.strategies) {
              signal.throwIfAborted();
              const label = `rep ${rep}/${scenario.reps}${point.label ? ` ${point.label}` : ''} ${name}`;
              const repSignal = AbortSignal.any([signal, AbortSignal.timeout(s.timeoutMs)]);
              progress.begin(label);
              if (s.workload !== 'stamped' || s.volumes > 1) {
                // The HTTP workload and drains of several volumes (issue 6) write their own rows;
                // the hosts' clock cells are the run's, as for a stamped row.
                const out = results;
                const clockCells = clocks?.rowCells();
                failures += await runVolumes(
                  { scope: labScope, runId, scenario: s, hosts: lab.hosts, link: lab.link, strategy: getStrategy(name), cloneBackend, rep, workDir: lab.workDir, signal: repSignal },
                  { label, progress, runSignal: signal, add: (row, windows) => out.add({ ...row, ...clockCells, sweep_point: point.label }, windows.map((w) => ({ ...w, sweep_point: point.label }))) },
                );
                continue;
              }
              try {
                const r = await runRepetition({
                  scope: labScope,
                  runId,
                  scenario: s,
                  hosts: lab.hosts,
                  link: lab.link,
                  strategy: getStrategy(name),
                  cloneBackend,
                  rep,
                  workDir: lab.workDir,
                  signal: repSignal,
                  onStep: (step) => progress.stepTo(step, step === name ? 'migrating' : step),
                  onProgress: (f) => progress.fraction(f),
                });
                const row = { ...resultRow(runId, s, lab.link, r), ...clocks?.rowCells(), sweep_point: point.label };
                results.add(row, timelineRows(runId, r, s.windowMs).map((w) => ({ ...w, sweep_point: point.label })));
                progress.end(`${label}: ${repetitionLine(row)}`);
              } catch (err) {
                if (signal.aborted) throw err;
                failures++;
                const message = err instanceof RepetitionError ? err.message : String(err);
                const why = repSignal.aborted ? `${message} (timed out after ${s.timeoutMs / 1000} s)` : message;
                results.add({ ...failedRow(runId, s, lab.link, name, rep, why), sweep_point: point.label });
                progress.end(`${label}: FAILED — ${why}`);
              }
            }
          }
        }
        // The clocks again after the run: meta.json gets the drift.
        if (remote && clocks) {
          await clocks.after(labScope);
          results.setRemote({ ...remote, clocks: clocks.record() });
        }
      } finally {
        if (labScope !== scope) await labScope.close();
      }
    }
    if (!results) throw new Error('no sweep point ran');
    results.finish();
    const tables = points.map((p) => {
      const rows = results!.runs.filter((r) => r.sweep_point === p.label);
      return `${p.label ? `sweep point ${p.label}\n` : ''}${summaryTable(rows)}`;
    });
    progress.close();
    process.stdout.write(`\n${tables.join('\n\n')}\n\nresults: ${outDir}/runs.csv, timeline.csv, meta.json\nnext: migbench report ${outDir}\n`);
  } finally {
    // On a terminal only, and gone once done: the summary's last line is the next command.
    progress.status('releasing the lab…');
    await scope.close();
    ledger.finished();
    if (inventory) await closeConnections(Object.values(remoteHosts(inventory)));
    progress.close();
    // A run cut short says that it left nothing behind (a finished one ends with its summary).
    if (signal.aborted) process.stderr.write('lab released\n');
  }
  if (failures) throw new CLIError(`${failures} repetition(s) failed; see the error column of ${outDir}/runs.csv`, 1);
  return 0;
}
