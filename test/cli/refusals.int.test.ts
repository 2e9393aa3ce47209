import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';

const SMALL = ['--strategy', 'kill-copy-boot', '--size', '16MiB', '--reps', '1', '--warmup', '300ms', '--settle', '200ms', '--health', '100ms'];
const ledgers = (state: string): string[] => readdirSync(state).filter((n) => n.endsWith('.jsonl'));

/** Larger than this machine's MemAvailable, in GiB: never fits on the default tmpfs. */
function tooLargeForMemory(): string {
  const kb = Number(/^MemAvailable:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]);
  return `${Math.ceil(kb / 1024 / 1024) + 1}GiB`;
}

describe('refused before anything is provisioned', () => {
  it('a volume that does not fit in the backing directory (tmpfs: memory counted): exit 2 with the numbers', async () => {
    const state = freshStateDir();
    const r = await migbench(['run', '--strategy', 'kill-copy-boot', '--size', tooLargeForMemory(), '--out', join(state, 'out')], state);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/does not fit: it needs [\d.]+ GiB in \/dev\/shm; [\d.]+ GiB available \(memory available [\d.]+ GiB less a [\d.]+ GiB margin, as \/dev\/shm is tmpfs\)/);
    expect(ledgers(state)).toEqual([]);
    expect(existsSync(join(state, 'out'))).toBe(false);
    const d = await migbench(['run', '--strategy', 'kill-copy-boot', '--size', tooLargeForMemory(), '--dry-run'], state);
    expect(d.exitCode).toBe(2);
    expect(d.stdout).toMatch(/capacity\s+needs .* DOES NOT FIT/);
  });

  it('--out holding results: refused; --append adds rows; --overwrite replaces them', async () => {
    const state = freshStateDir();
    const out = join(state, 'out');
    const first = await migbench(['run', ...SMALL, '--out', out], state);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(readCsv(join(out, 'runs.csv'))).toHaveLength(1);

    const again = await migbench(['run', ...SMALL, '--out', out], state);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/already holds results.*--overwrite.*--append/);
    expect(ledgers(state)).toEqual([]);
    expect(readCsv(join(out, 'runs.csv'))).toHaveLength(1);

    const appended = await migbench(['run', ...SMALL, '--out', out, '--append'], state);
    expect(appended.exitCode, appended.stderr).toBe(0);
    const rows = readCsv(join(out, 'runs.csv'));
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.run_id)).size).toBe(2);
    expect(readdirSync(out).filter((n) => /^meta-.*\.json$/.test(n))).toHaveLength(1);

    const replaced = await migbench(['run', ...SMALL, '--out', out, '--overwrite'], state);
    expect(replaced.exitCode, replaced.stderr).toBe(0);
    expect(readCsv(join(out, 'runs.csv'))).toHaveLength(1);
  }, 300_000);

  it('--append onto other columns is refused', async () => {
    const state = freshStateDir();
    const out = join(state, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'runs.csv'), 'run_id,strategy\nx,y\n');
    const r = await migbench(['run', ...SMALL, '--out', out, '--append'], state);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--append: the results in .* have other columns/);
    expect(readFileSync(join(out, 'runs.csv'), 'utf8')).toBe('run_id,strategy\nx,y\n');
  });
});
