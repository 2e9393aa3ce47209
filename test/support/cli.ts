import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { execa } from 'execa';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** A private ledger directory, so a test's cleanup touches only that test's runs. */
export function freshStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'migbench-state-'));
}

/** Runs the built CLI; never throws on a non-zero exit. */
export function migbench(args: string[], stateDir: string, timeoutMs = 600_000) {
  return execa(process.execPath, [CLI, ...args], {
    reject: false,
    env: { MIGBENCH_STATE_DIR: stateDir },
    timeout: timeoutMs,
  });
}

export function readCsv(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];
}
