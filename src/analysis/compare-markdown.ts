/**
 * A comparison as Markdown for a pull request or a CI job summary: the verdict, what else
 * changed (environment) first, which code and when on each side, the reasons for failing,
 * then the metrics that moved or could not be judged; unchanged rows fold away in a
 * `<details>` block. Pure.
 */
import type { EnvDifference } from './compare-environment.js';
import { pct, type Comparison, type MetricComparison, type RunInfo } from './compare.js';

const num = (x: number): string => (Number.isNaN(x) ? '–' : String(Number(x.toFixed(Math.abs(x) >= 100 ? 0 : 2))));

/** `abc123def456 (dirty)`, or `?` when the run did not record it. */
function revision(r: RunInfo): string {
  return r.git_revision ? `\`${r.git_revision.slice(0, 12)}\`${r.git_dirty ? ' (dirty)' : ''}` : '?';
}

/** `2026-11-30 13:00 UTC`, or `?`. */
function date(r: RunInfo): string {
  if (!r.started_at) return '?';
  const d = new Date(r.started_at);
  return Number.isNaN(d.getTime()) ? r.started_at : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function provenance(base: RunInfo, cand: RunInfo): string[] {
  return [
    '| | base | candidate |',
    '|---|---|---|',
    `| run | \`${base.run_id ?? base.dir}\` | \`${cand.run_id ?? cand.dir}\` |`,
    `| git | ${revision(base)} | ${revision(cand)} |`,
    `| started | ${date(base)} | ${date(cand)} |`,
    `| results | \`${base.dir}\` | \`${cand.dir}\` |`,
  ];
}

function environment(env: readonly EnvDifference[], strict: boolean): string[] {
  if (env.length === 0) return [];
  return [
    `### ⚠️ The environment differs (${env.length}): ${strict ? 'not judged (`--strict-env`)' : 'the figures may move for this reason, not the code'}`,
    '',
    ...env.map((d) => `- ${d.what}: \`${d.base}\` → \`${d.candidate}\``),
    '',
  ];
}

const HEAD = ['| strategy | metric | base median | candidate median | change | CI | verdict |', '|---|---|---:|---:|---:|---|---|'];

function row(m: MetricComparison): string {
  const v = m.verdict === 'regression' && !m.gated ? 'changed (not gated)' : m.verdict === 'improvement' && !m.gated ? 'improved (not gated)' : m.verdict;
  return `| ${m.group} | ${m.metric}${m.gated ? '' : ' (info)'} | ${num(m.base.median)} (n=${m.base.n}) | ${num(m.candidate.median)} (n=${m.candidate.n}) | ${pct(m.change.estimate)} | ${pct(m.change.lower)} … ${pct(m.change.upper)} | ${v} |`;
}

/** The title line's verdict: regressions, else pass, with the count of inconclusive gated metrics. */
function title(c: Comparison, inconclusive: number, envBlocked: boolean): string {
  const n = c.regressions.length;
  const verdict = envBlocked ? '⚠️ not judged: the environment differs' : n ? `❌ ${n} regression${n > 1 ? 's' : ''}` : '✅ no regression';
  return `## migbench compare: ${verdict}${inconclusive ? ` · ${inconclusive} inconclusive` : ''}`;
}

/** The comparison as Markdown. `strictEnv`: environment differences fail the comparison. */
export function compareMarkdown(c: Comparison & { base: RunInfo; candidate: RunInfo; environment: EnvDifference[] }, opts: { strictEnv?: boolean } = {}): string {
  const strict = opts.strictEnv ?? false;
  const gated = c.metrics.filter((m) => m.gated);
  const inconclusive = gated.filter((m) => m.verdict === 'inconclusive').length;
  const lines = [title(c, inconclusive, strict && c.environment.length > 0), '', ...environment(c.environment, strict), ...provenance(c.base, c.candidate), ''];
  lines.push(
    `Threshold ${pct(c.threshold).replace('+', '')}; ${Math.round(c.confidence * 100)} % bootstrap CI of the change in medians. ` +
      'A regression or improvement needs the whole CI beyond the threshold; a CI that spans it is inconclusive (more repetitions would tell).',
    '',
  );
  if (c.regressions.length) lines.push('### Regressions', '', ...c.regressions.map((r) => `- **${r}**`), '');
  if (c.onlyInCandidate.length) lines.push(`New in the candidate (no base to compare with): ${c.onlyInCandidate.join(', ')}`, '');
  const shown = c.metrics.filter((m) => (m.gated && m.verdict !== 'unchanged') || (!m.gated && (m.verdict === 'regression' || m.verdict === 'improvement')));
  if (shown.length) lines.push(...HEAD, ...shown.map(row), '');
  const unchanged = gated.filter((m) => m.verdict === 'unchanged');
  if (unchanged.length) {
    lines.push(`<details><summary>${unchanged.length} unchanged gated metric${unchanged.length > 1 ? 's' : ''}</summary>`, '', ...HEAD, ...unchanged.map(row), '', '</details>', '');
  }
  return `${lines.join('\n')}\n`;
}
