import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { labPrefix } from '../../src/lab/lab.js';
import { migbenchLeftovers } from '../support/leftovers.js';

/**
 * A tiny sweep end to end: `run --scenario` over two sizes × two links (two labs), then
 * report, compare and plan on what it measured.
 */
describe('a sweep, reported, compared and planned', () => {
  const work = mkdtempSync(join(tmpdir(), 'migbench-sweep-'));
  const out = join(work, 'results');
  const state = freshStateDir();
  let rows: Record<string, string>[] = [];

  beforeAll(async () => {
    const scenario = join(work, 'sweep.json');
    writeFileSync(scenario, JSON.stringify({ strategy: ['kill-copy-boot', 'async-clone'], size: ['16MiB', '32MiB'], link: ['400Mbit/s', '1Gbit/s'], reps: 3, backend: 'qemu', warmup: '500ms', settle: '500ms' }));
    // --reps on the command line wins over the file's 3.
    const r = await migbench(['run', '--scenario', scenario, '--reps', '1', '--out', out], state);
    expect(r.exitCode, r.stderr).toBe(0);
    rows = readCsv(join(out, 'runs.csv'));
  });

  it('one results directory holds every point × strategy', async () => {
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.sweep_point))).toEqual(new Set(['size=16MiB link=400Mbit/s', 'size=32MiB link=400Mbit/s', 'size=16MiB link=1Gbit/s', 'size=32MiB link=1Gbit/s']));
    for (const r of rows) {
      expect(r.status, r.error).toBe('ok');
      expect(r.sweep_point).toBe(`size=${Number(r.size_bytes) / 2 ** 20}MiB link=${r.link_bps === '400000000' ? '400Mbit/s' : '1Gbit/s'}`);
      if (r.strategy === 'kill-copy-boot' || r.strategy === 'async-clone') expect(r.lost_bytes).toBe('0');
    }
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as { sweep: { points: unknown[] }; links: { requested_bps: number; measured_bps: number }[] };
    expect(meta.sweep.points).toHaveLength(4);
    expect(meta.links.map((l) => l.requested_bps)).toEqual([400e6, 1e9]);
    // Each lab shaped its own link: the slower one measured slower.
    expect(meta.links[0]!.measured_bps).toBeLessThan(meta.links[1]!.measured_bps);
    const timeline = readCsv(join(out, 'timeline.csv'));
    expect(new Set(timeline.map((w) => w.sweep_point)).size).toBe(4);
    // Other runs may be live on this machine: look only for what this run could have left.
    const runId = (meta as unknown as { run_id: string }).run_id;
    const mine = [labPrefix(`${runId}-0`), labPrefix(`${runId}-1`), runId];
    expect((await migbenchLeftovers()).filter((l) => mine.some((m) => l.includes(m)))).toEqual([]);
  });

  it('report writes SVG, PNG and a self-contained HTML page', async () => {
    const r = await migbench(['report', out], state);
    expect(r.exitCode, r.stderr).toBe(0);
    for (const name of ['tradeoff', 'interruption-by-strategy', 'interruption-vs-size', 'lost-bytes', 'read-latency-by-phase']) {
      const svg = readFileSync(join(out, `${name}.svg`), 'utf8');
      expect(svg).toMatch(/^<svg/);
      expect(svg).toContain('async-clone');
      const png = readFileSync(join(out, `${name}.png`));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(statSync(join(out, `${name}.png`)).size).toBeGreaterThan(10_000);
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('as predicted');
    expect(html).toContain('id="timelines"');
    expect(statSync(join(out, 'timeline-kill-copy-boot-size_16MiB_link_1Gbit_s.svg')).size).toBeGreaterThan(10_000);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toContain('"schema": "migbench-report/1"');
    expect(html).toMatch(/kill-copy-boot[\s\S]*no loss; downtime = kill \+ size\/bandwidth \+ boot/);
    expect(html).toContain('400 Mbit/s');
    // Nothing fetched from the network: no src/href to http(s), no script.
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?https?:/i);
    expect(html).not.toMatch(/<script|<link /i);
  });

  it('compare passes a run against itself and fails it with the interruption tripled', async () => {
    const same = await migbench(['compare', out, out], state);
    expect(same.exitCode, same.stdout + same.stderr).toBe(0);
    expect(same.stdout).toContain('no regression');

    const tripled = join(work, 'tripled');
    cpSync(out, tripled, { recursive: true });
    const slower = rows.map((r) => ({ ...r, interruption_ms: String(3 * Number(r.interruption_ms)) }));
    writeFileSync(join(tripled, 'runs.csv'), stringify(slower, { header: true, columns: Object.keys(rows[0]!) }));
    const bmf = join(work, 'bmf.json');
    const worse = await migbench(['compare', out, tripled, '--bmf', bmf], state);
    expect(worse.exitCode, worse.stdout).toBe(1);
    expect(worse.stdout).toMatch(/kill-copy-boot @ size=32MiB link=1Gbit\/s: interruption_ms \+200\.0 %/);
    const parsed = JSON.parse(readFileSync(bmf, 'utf8')) as Record<string, Record<string, { value: number }>>;
    expect(Object.keys(parsed)).toHaveLength(8);

    const bad = await migbench(['compare', out, join(work, 'nope')], state);
    expect(bad.exitCode).toBe(2);

    // The report carries compare's verdict; a missing compare file is bad input.
    const cmp = join(work, 'compare.json');
    expect((await migbench(['compare', out, tripled, '--json', cmp], state)).exitCode).toBe(1);
    const page = join(work, 'page');
    const rep = await migbench(['report', tripled, '--out', page, '--compare', cmp], state);
    expect(rep.exitCode, rep.stderr).toBe(0);
    expect(readFileSync(join(page, 'report.html'), 'utf8')).toMatch(/✘ \d+ regressions?/);
    expect(readFileSync(join(page, 'report.json'), 'utf8')).toContain('"verdict": "regression"');
    const missing = await migbench(['report', out, '--out', page, '--compare', join(work, 'nope.json')], state);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('nope.json');
  });

  it('plan prints per-strategy predictions that respect the link, and says what it extrapolated', async () => {
    const r = await migbench(['plan', out, '--size', '1GiB', '--link', '10Gbit/s', '--volumes', '20', '--concurrency', '4'], state);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^kill-copy-boot .*\d/m);
    expect(r.stdout).toMatch(/^async-clone .*\d/m);
    expect(r.stdout).toMatch(/^link floor: /m);
    expect(r.stdout).toMatch(/extrapolated: size 32×/);
    const json = await migbench(['plan', out, '--size', '1GiB', '--link', '10Gbit/s', '--volumes', '20', '--concurrency', '4', '--json'], state);
    const plan = JSON.parse(json.stdout) as { linkFloorMs: number; strategies: { strategy: string; drainMs: { min: number } }[] };
    // 20 × 1 GiB over 10 Gbit/s: at least 17.18 s whatever the concurrency.
    expect(plan.linkFloorMs).toBeGreaterThanOrEqual(17_179);
    for (const st of plan.strategies) expect(st.drainMs.min, st.strategy).toBeGreaterThanOrEqual(plan.linkFloorMs);
    const bad = await migbench(['plan', out, '--size', '1GiB'], state);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--link is required/);
  });
});
