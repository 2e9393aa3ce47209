import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verdicts } from '../../src/analysis/verdict.js';
import { readResults } from '../../src/results/read-results.js';
import { reportJson, type ReportJson, type ReportJsonStrategy } from '../../src/report/report-json.js';
import { writeReport } from '../../src/report/report.js';
import { scenarioFacts } from '../../src/report/scenario-facts.js';
import { DEFAULT_RUN, editedRun } from './support.js';

function jsonOf(dir: string): ReportJson {
  const r = readResults(dir);
  return reportJson(verdicts(r.runs), r.runs, r.meta, scenarioFacts(r.meta, r.runs));
}
const strategy = (j: ReportJson, name: string): ReportJsonStrategy => j.strategies.find((s) => s.strategy === name)!;

describe('report.json on the default run', () => {
  const j = jsonOf(DEFAULT_RUN);

  it('has the documented top-level shape', () => {
    expect(Object.keys(j)).toEqual(['schema', 'run_id', 'git_revision', 'started_at', 'finished_at', 'scenario', 'flagged', 'strategies']);
    expect(j.schema).toBe('migbench-report/1');
    expect(j.run_id).toBe('20261130-130004-ab474d');
    expect(j.strategies).toHaveLength(10);
    expect(j.scenario.find((f) => f.label === 'volume size')?.value).toBe('256 MiB');
  });

  it('marks the strategy with a failed repetition, with its error text', () => {
    expect(j.flagged).toEqual(['precopy']);
    const p = strategy(j, 'precopy');
    expect(p).toMatchObject({ reps: 3, ok: 2, as_predicted: 2, judgement: 'not as predicted', flagged: true, marks: ['failed'] });
    expect(p.failing[0]!.rep).toBe('3');
    expect(p.failing[0]!.error).toContain('Granularity must be power of 2');
  });

  it('keeps expected loss and split brain visible without flagging them', () => {
    const s = strategy(j, 'copy-boot-kill');
    expect(s.flagged).toBe(false);
    expect(s.marks).toEqual(['lost', 'diverged', 'stale_reads', 'split_brain']);
    expect(s.figures.split_brain_ms!.n).toBe(3);
    expect(strategy(j, 'mirror')).toMatchObject({ as_predicted: 3, marks: [], flagged: false });
  });

  it('carries key figures as median, min, max and n', () => {
    const k = strategy(j, 'kill-copy-boot').figures.interruption_ms!;
    expect(k).toEqual({ median: 2449.628, min: 2438.796, max: 3864.573, n: 3 });
  });
});

describe('report.json marks failures injected into a copy of the default run', () => {
  it('split brain in a strategy predicted to have none (mirror, 502 ms)', () => {
    const j = jsonOf(editedRun((r) => {
      if (r.strategy === 'mirror' && r.rep === '2') r.split_brain_ms = '502';
    }));
    const m = strategy(j, 'mirror');
    expect(m).toMatchObject({ flagged: true, as_predicted: 2, marks: ['split_brain'], unexpected: ['split_brain'] });
    expect(m.failing[0]!.reasons).toEqual(['502 ms of split brain, predicted none']);
    expect(j.flagged).toContain('mirror');
  });

  it('corruption in one repetition of three, which the median would hide', () => {
    const j = jsonOf(editedRun((r) => {
      if (r.strategy === 'kill-copy-boot' && r.rep === '3') r.corrupt_bytes = '4096';
    }));
    const k = strategy(j, 'kill-copy-boot');
    expect(k.figures.corrupt_bytes!.median).toBe(0);
    expect(k).toMatchObject({ flagged: true, as_predicted: 2, marks: ['corrupt'] });
    expect(k.failing.map((f) => f.rep)).toEqual(['3']);
  });

  it('a failed repetition of a strategy that otherwise passed', () => {
    const j = jsonOf(editedRun((r) => {
      if (r.strategy === 'async-clone' && r.rep === '1') Object.assign(r, { status: 'failed', error: 'step "clone" failed: boom' });
    }));
    const a = strategy(j, 'async-clone');
    expect(a).toMatchObject({ flagged: true, ok: 2, marks: ['failed'] });
    expect(a.failing[0]!.reasons).toEqual(['repetition failed: step "clone" failed: boom']);
  });
});

describe('writeReport', () => {
  let dir = '';
  let files: string[] = [];
  beforeAll(async () => {
    dir = editedRun(() => undefined);
    files = await writeReport(readResults(dir), dir, { file: 'cmp.json', verdict: 'regression', regressions: ['mirror: interruption_ms +40 %'], counts: { unchanged: 3, regression: 1 }, onlyInBase: ['precopy'], onlyInCandidate: [], environment: ['clone backend: dm-clone → qemu'] });
  }, 60_000);

  it('writes report.json, report.html, the summary plots and a timeline per strategy; no size plot without a size sweep', () => {
    const names = files.map((f) => f.slice(dir.length + 1));
    expect(names).toContain('report.json');
    expect(names).toContain('report.html');
    expect(names).toContain('tradeoff.png');
    expect(names).toContain('read-latency-by-phase.svg');
    expect(names.filter((n) => n.startsWith('timeline-') && n.endsWith('.svg'))).toHaveLength(10);
    expect(names.some((n) => n.startsWith('interruption-vs-size'))).toBe(false);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('every repetition ran the same size');
    expect(html).toContain('No fit: every repetition ran the same volume size');
    expect(html).not.toContain('256.000000');
  });

  it('the page shows the scenario, the failed repetition\'s error, the compare verdict and links to the data', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('1 Gbit/s → 933.6 Mbit/s (93.4 %)');
    expect(html).toContain('64 Mbit/s (7.6 MiB/s)');
    expect(html).toContain('b8c61da38987');
    expect(html).toContain('6.18.44-fc-v782');
    expect(html).toContain('Granularity must be power of 2');
    expect(html).toContain('✘ 1 regression');
    expect(html).toContain('clone backend: dm-clone → qemu');
    expect(html).toContain('<a href="runs.csv">');
    expect(html).toContain('<a href="timeline.csv">');
    expect(html).toContain('<a href="report.json">');
    const j = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportJson;
    expect(j.compare).toMatchObject({ verdict: 'regression', only_in_base: ['precopy'] });
  });
});
