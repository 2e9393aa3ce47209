/**
 * Setup file (vitest.config.ts): after each test file, removes the `migbench-*` directories
 * it made under the temp directory (state dirs, results, reports), so a suite run does not
 * leave hundreds behind. Skipped, and left for `migbench cleanup` and the leftover checks to
 * see, is any directory that holds a ledger with unreleased entries, a mount, or the backing
 * file of an attached loop device: a removal there would hide a leak or reach into a mount.
 * A file whose tests are all skipped runs no hooks: it must make its directories only when it runs.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll } from 'vitest';
import { parseLedger } from '../../src/lab/ledger.js';

const TMP = tmpdir();

function ourDirs(): Set<string> {
  return new Set(readdirSync(TMP).filter((n) => n.startsWith('migbench-')).map((n) => join(TMP, n)).filter((p) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  }));
}

function holdsOpenLedger(dir: string): boolean {
  const walk = (d: string): boolean => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((e) => (e.isFile() && e.name.endsWith('.jsonl') && isOpen(join(d, e.name))) || (e.isDirectory() && walk(join(d, e.name))));
  };
  return walk(dir);
}

function inUse(dir: string): boolean {
  const under = (p: string): boolean => p === dir || p.startsWith(`${dir}/`);
  const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '');
  if (mounts.some(under)) return true;
  let loops = '';
  try {
    loops = execFileSync('losetup', ['-n', '-O', 'BACK-FILE'], { encoding: 'utf8' });
  } catch {
    return true; // cannot tell: keep it
  }
  return loops.split('\n').map((l) => l.trim()).some(under);
}

function isOpen(ledger: string): boolean {
  try {
    return parseLedger(ledger, readFileSync(ledger, 'utf8')).open.length > 0;
  } catch {
    return true; // unreadable: keep it
  }
}

const before = ourDirs();

afterAll(() => {
  for (const dir of ourDirs()) {
    if (before.has(dir) || holdsOpenLedger(dir) || inUse(dir)) continue;
    rmSync(dir, { recursive: true, force: true });
  }
});
