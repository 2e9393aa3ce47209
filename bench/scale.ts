/**
 * Scale (issue 15, item 6): time per GiB of each phase of a run — the harness's fill and
 * verification, kill-copy-boot's copy, async-clone's hydration — and the orchestrator's
 * peak memory, at each of `--sizes` on a disk-backed `--backing-dir`. Every figure comes
 * from a real `migbench run` (runs.csv `fill_ms`, `copy_ms`, `hydration_ms`, `verify_ms`,
 * `orchestrator_rss_mib`); the bench only divides. The memory growth between the smallest
 * and the largest size over their difference in blocks is the orchestrator's per-block
 * state. Run as root: `npm run bench:scale [-- --sizes 1GiB,16GiB --link 10Gbit/s]`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { num, readResults } from '../src/results/read-results.js';
import { parseSize } from '../src/scenario/units.js';

const CLI = join(import.meta.dirname, '..', 'src', 'cli', 'main.js');
const GIB = 2 ** 30;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1GiB,16GiB' },
    'backing-dir': { type: 'string', default: '/var/tmp' },
    link: { type: 'string', default: '10Gbit/s' },
    strategy: { type: 'string', default: 'kill-copy-boot,async-clone' },
  },
});
const sizes = values.sizes!.split(',');

interface Row {
  size: string;
  strategy: string;
  gib: number;
  blocks: number;
  fillMs: number;
  moveMs: number;
  verifyMs: number;
  rssMiB: number;
  migrationMs: number;
  lostBytes: number;
}

const rows: Row[] = [];
for (const size of sizes) {
  const out = join(await mkdtemp(join(tmpdir(), 'migbench-scale-')), 'results');
  const args = ['run', '--strategy', values.strategy!, '--size', size, '--backing-dir', values['backing-dir']!, '--link', values.link!, '--reps', '1', '--timeout', '60min', '--out', out];
  console.error(`[scale] migbench ${args.join(' ')}  (load ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  const r = await execa(process.execPath, [CLI, ...args], { reject: false, stdout: 'inherit', stderr: 'inherit' });
  if (r.exitCode !== 0) {
    console.error(`[scale] ${size}: migbench run exited ${r.exitCode}`);
    process.exit(1);
  }
  for (const row of readResults(out).runs) {
    const bytes = parseSize(size);
    const cell = (c: string): number => num(row, c) ?? NaN;
    rows.push({
      size,
      strategy: row.strategy!,
      gib: bytes / GIB,
      blocks: bytes / cell('block_size_bytes'),
      fillMs: cell('fill_ms'),
      // What moves the volume: the copy before the boot, or the hydration after it.
      moveMs: cell('hydration_ms') > 0 ? cell('hydration_ms') : cell('copy_ms'),
      verifyMs: cell('verify_ms'),
      rssMiB: cell('orchestrator_rss_mib'),
      migrationMs: cell('migration_ms'),
      lostBytes: cell('lost_bytes'),
    });
  }
  await rm(join(out, '..'), { recursive: true, force: true });
}

const perGiB = (ms: number, gib: number): string => (ms / 1000 / gib).toFixed(2);
console.log(`\nscale: --link ${values.link} --backing-dir ${values['backing-dir']} (load after: ${loadavg()[0]!.toFixed(1)})`);
console.log('| size | strategy | fill s/GiB | copy or hydration s/GiB | verify s/GiB | (fill + verify) / migration | orchestrator peak RSS MiB | lost bytes |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.size} | ${r.strategy} | ${perGiB(r.fillMs, r.gib)} | ${perGiB(r.moveMs, r.gib)} | ${perGiB(r.verifyMs, r.gib)} | ${((r.fillMs + r.verifyMs) / r.migrationMs).toFixed(2)} | ${r.rssMiB.toFixed(1)} | ${r.lostBytes} |`);
}
const small = rows.filter((r) => r.size === sizes[0]);
const large = rows.filter((r) => r.size === sizes[sizes.length - 1]);
if (sizes.length > 1 && small.length && large.length) {
  const peak = (rs: Row[]): number => Math.max(...rs.map((r) => r.rssMiB));
  const bytesPerBlock = ((peak(large) - peak(small)) * 2 ** 20) / (large[0]!.blocks - small[0]!.blocks);
  console.log(`\norchestrator peak RSS ${peak(small).toFixed(1)} MiB at ${sizes[0]}, ${peak(large).toFixed(1)} MiB at ${sizes[sizes.length - 1]}: ${bytesPerBlock.toFixed(2)} bytes per block of growth`);
}
