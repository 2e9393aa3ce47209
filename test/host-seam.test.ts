import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importsOf, SRC, tsFiles, type Import } from './support/imports.js';
import { describe, expect, it } from 'vitest';

/**
 * Issue 16's Host seam is used: workloads, strategies and transfers run commands and
 * processes through a Host object (a lab host, or `localHost`), never through a wrapper
 * keyed by a namespace name, nor by spawning processes themselves.
 */
const GUARDED = ['workload', 'strategy', 'transfer'];

/** Modules no guarded file imports: processes go through `host.run` / `host.start`. */
const FORBIDDEN_MODULES = ['lab/daemon.ts', 'execa', 'node:child_process', 'child_process'];
/** What a guarded file may still take from lab/exec.ts: tool checks, no command runner. */
const LAB_EXEC = 'lab/exec.ts';
const LAB_EXEC_ALLOWED = new Set(['hasTool', 'missingTool']);

/** Justified exceptions: `file → module` and why. */
const EXCEPTIONS: Record<string, string> = {
  // It runs on the host itself (started through a Host) and must be the hydration reader's
  // parent: a PID it signals cannot be reused while the child is unreaped.
  'transfer/clone/hydration-yield-main.ts → node:child_process': 'the yield controller spawns the reader it pauses',
};

/** Why `imp` in `file` bypasses the seam, or undefined. */
function violation(imp: Import): string | undefined {
  if (FORBIDDEN_MODULES.includes(imp.module)) return imp.module;
  if (imp.module === LAB_EXEC) {
    const bad = imp.names.filter((n) => !LAB_EXEC_ALLOWED.has(n));
    if (bad.length > 0) return `${LAB_EXEC} (${bad.join(', ')})`;
  }
  return undefined;
}

describe('the Host seam', () => {
  it('reads named, type-only, default, namespace, re-exported and dynamic imports', () => {
    const file = join(SRC, 'workload', 'x.ts');
    const text = [
      "import { run, type RunOptions as O } from '../lab/exec.js';",
      "import { missingTool } from '../lab/exec.js';",
      "import type {\n  Daemon,\n} from '../lab/daemon.js';",
      "import * as cp from 'node:child_process';",
      "import execa, { type Options } from 'execa';",
      "export { hasTool } from '../lab/exec.js';",
      "const m = await import('../lab/daemon.js');",
    ].join('\n');
    const imports = importsOf(file, text);
    expect(imports).toEqual([
      { module: 'lab/exec.ts', names: ['run', 'RunOptions'] },
      { module: 'lab/exec.ts', names: ['missingTool'] },
      { module: 'lab/daemon.ts', names: ['Daemon'] },
      { module: 'node:child_process', names: ['*'] },
      { module: 'execa', names: ['Options', '*'] },
      { module: 'lab/exec.ts', names: ['hasTool'] },
      { module: 'lab/daemon.ts', names: ['*'] },
    ]);
    expect(imports.map(violation)).toEqual(['lab/exec.ts (run, RunOptions)', undefined, 'lab/daemon.ts', 'node:child_process', 'execa', undefined, 'lab/daemon.ts']);
  });

  it(`src/${GUARDED.join(', src/')} run commands and processes only through a Host`, () => {
    const found: string[] = [];
    for (const layer of GUARDED) {
      const files = tsFiles(join(SRC, layer));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        for (const imp of importsOf(f, readFileSync(f, 'utf8'))) {
          const why = violation(imp);
          if (why !== undefined) found.push(`${relative(SRC, f)} → ${why.split(' ')[0]}`);
        }
      }
    }
    expect(found.filter((v) => !(v in EXCEPTIONS))).toEqual([]);
    // An exception that no longer applies is removed, so the list stays true.
    expect(Object.keys(EXCEPTIONS).filter((e) => !found.includes(e))).toEqual([]);
  });
});
