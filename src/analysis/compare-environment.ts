/**
 * What changed around two runs besides the code: clone backend, dirty tracking, kernel,
 * CPU model and count, tool versions and the measured link. A different backend or a
 * slower link moves the figures as much as a code change does, so `migbench compare`
 * lists these first (and `--strict-env` refuses to judge across them). Read from
 * meta.json and runs.csv only. Pure.
 */
import { median } from 'simple-statistics';
import { formatBitRate } from '../scenario/units.js';
import { values, type Results, type Row } from '../results/read-results.js';

/** One aspect of the environment that differs between base and candidate. */
export interface EnvDifference {
  what: string;
  base: string;
  candidate: string;
}

/** Relative difference of the measured link beyond which the environment counts as changed. */
export const LINK_TOLERANCE = 0.1;

const NOT_RECORDED = '(not recorded)';

/** Distinct non-empty cells of `column`, sorted and joined; undefined when there are none. */
function cellsOf(rows: readonly Row[], column: string): string | undefined {
  const xs = [...new Set(rows.map((r) => r[column] ?? '').filter(Boolean))].sort();
  return xs.length ? xs.join(', ') : undefined;
}

/**
 * A difference when both sides recorded the aspect and disagree, or one side lacks it.
 * Nothing when neither recorded it (older results).
 */
function differs(what: string, base: string | undefined, cand: string | undefined): EnvDifference[] {
  if (base === undefined && cand === undefined) return [];
  if (base === cand) return [];
  return [{ what, base: base ?? NOT_RECORDED, candidate: cand ?? NOT_RECORDED }];
}

/**
 * A value used by some strategies only (backend, tracking): compared only when both runs
 * recorded one, since a run without the strategy that uses it has none (and the missing
 * strategy is reported on its own).
 */
function differsWhenBoth(what: string, base: string | undefined, cand: string | undefined): EnvDifference[] {
  return base !== undefined && cand !== undefined ? differs(what, base, cand) : [];
}

/** The clone backend(s) a run used: runs.csv `backend` cells, else meta.json `clone_backend`. */
function backendOf(r: Pick<Results, 'runs' | 'meta'>): string | undefined {
  return cellsOf(r.runs, 'backend') ?? r.meta.clone_backend ?? undefined;
}

/** Median measured link per requested link (`link_bps`/`latency_ms`): runs.csv, else meta.json's links. */
function measuredLinks(r: Pick<Results, 'runs' | 'meta'>): Map<string, { requested: number; measured: number }> {
  const out = new Map<string, { requested: number; measured: number }>();
  const byLink = new Map<string, Row[]>();
  for (const row of r.runs) {
    const key = `${row.link_bps ?? ''}|${row.latency_ms ?? ''}`;
    byLink.set(key, [...(byLink.get(key) ?? []), row]);
  }
  for (const [key, rows] of byLink) {
    const xs = values(rows, 'link_measured_bps');
    if (xs.length) out.set(key, { requested: Number(rows[0]!.link_bps), measured: median(xs) });
  }
  if (out.size === 0) {
    for (const l of r.meta.links ?? (r.meta.link ? [r.meta.link] : [])) out.set(`${l.requested_bps}|${l.latency_ms}`, { requested: l.requested_bps, measured: l.measured_bps });
  }
  return out;
}

function linkDifferences(base: Pick<Results, 'runs' | 'meta'>, cand: Pick<Results, 'runs' | 'meta'>): EnvDifference[] {
  const b = measuredLinks(base);
  const c = measuredLinks(cand);
  const out: EnvDifference[] = [];
  for (const [key, bl] of b) {
    const cl = c.get(key);
    if (!cl || bl.measured <= 0) continue;
    const rel = cl.measured / bl.measured - 1;
    if (Math.abs(rel) > LINK_TOLERANCE) {
      const latency = key.split('|')[1];
      out.push({
        what: `measured link (${formatBitRate(bl.requested)} asked${latency && latency !== '0' ? `, ${latency} ms` : ''}; ${rel > 0 ? '+' : ''}${(rel * 100).toFixed(1)} %, beyond ±${LINK_TOLERANCE * 100} %)`,
        base: formatBitRate(bl.measured),
        candidate: formatBitRate(cl.measured),
      });
    }
  }
  return out;
}

/** Relative difference of a delivered workload rate beyond which the scenario counts as changed. */
export const RATE_TOLERANCE = 0.1;

/**
 * The write rate the workload delivered in the baseline, per strategy and sweep point: a
 * source that managed 8 MB/s instead of the 40 asked ran a different scenario (pre-copy
 * converges where it was meant not to), whatever the asked rate says.
 */
function rateDifferences(base: Pick<Results, 'runs'>, cand: Pick<Results, 'runs'>): EnvDifference[] {
  const byGroup = (rows: readonly Row[]): Map<string, Row[]> => {
    const m = new Map<string, Row[]>();
    for (const r of rows) if (r.status === 'ok') m.set(`${r.strategy}|${r.sweep_point ?? ''}`, [...(m.get(`${r.strategy}|${r.sweep_point ?? ''}`) ?? []), r]);
    return m;
  };
  const c = byGroup(cand.runs);
  const out: EnvDifference[] = [];
  for (const [key, rows] of byGroup(base.runs)) {
    const b = values(rows, 'write_rate_achieved_bps_baseline');
    const k = values(c.get(key) ?? [], 'write_rate_achieved_bps_baseline');
    if (!b.length || !k.length || median(b) <= 0) continue;
    const rel = median(k) / median(b) - 1;
    if (Math.abs(rel) > RATE_TOLERANCE) {
      const [strategy, point] = key.split('|');
      out.push({
        what: `delivered write rate, ${strategy}${point ? ` ${point}` : ''} (${rel > 0 ? '+' : ''}${(rel * 100).toFixed(1)} %, beyond ±${RATE_TOLERANCE * 100} %: a different scenario)`,
        base: formatBitRate(median(b)),
        candidate: formatBitRate(median(k)),
      });
    }
  }
  return out;
}

const str = (x: unknown): string | undefined => (x === undefined || x === null ? undefined : String(x));

/** Every environment difference between two runs, in a fixed order. */
export function environmentDifferences(base: Pick<Results, 'runs' | 'meta'>, cand: Pick<Results, 'runs' | 'meta'>): EnvDifference[] {
  const bm = base.meta;
  const cm = cand.meta;
  const tools = [...new Set([...Object.keys(bm.tools ?? {}), ...Object.keys(cm.tools ?? {})])].sort();
  return [
    ...differsWhenBoth('clone backend', backendOf(base), backendOf(cand)),
    ...differsWhenBoth('dirty tracking', cellsOf(base.runs, 'tracking'), cellsOf(cand.runs, 'tracking')),
    ...differs('kernel', str(bm.host?.kernel), str(cm.host?.kernel)),
    ...differs('CPU model', str(bm.host?.cpu), str(cm.host?.cpu)),
    ...differs('CPU count', str(bm.host?.cpus), str(cm.host?.cpus)),
    ...differs('node', str(bm.node), str(cm.node)),
    ...(bm.tools && cm.tools ? tools.flatMap((t) => differs(`tool ${t}`, bm.tools![t], cm.tools![t])) : differs('tool versions', bm.tools ? 'recorded' : undefined, cm.tools ? 'recorded' : undefined)),
    ...linkDifferences(base, cand),
    ...rateDifferences(base, cand),
  ];
}
