import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 16's Host seam is used: workloads, strategies and transfers run commands and
 * processes through a Host object (a lab host, or `localHost`), never through a wrapper
 * keyed by a namespace name, nor by spawning processes themselves.
 */
const SRC = join(import.meta.dirname, '..', 'src');
const GUARDED = ['workload', 'strategy', 'transfer'];

/** Modules no guarded file imports: processes go through `host.run` / `host.start`. */
const FORBIDDEN_MODULES = ['lab/daemon.ts', 'execa', 'node:child_process', 'child_process'];
/** What a guarded file may still take from lab/exec.ts: tool checks, no command runner. */
const LAB_EXEC = 'lab/exec.ts';
const LAB_EXEC_ALLOWED = new Set(['hasTool', 'missingTool']);

/** Justified exceptions: `file → module` and why. */
const EXCEPTIONS: Record<string, string> = {
  // waitForPidfile waits on a process a Host started (it reads the pidfile with host.readFile);
  // qsd.ts is reworked in parallel (issue 16): move waitForPidfile under src/host/ then.
  'transfer/qemu/qsd.ts → lab/daemon.ts': 'waitForPidfile, a wait on a HostProcess',
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

interface Import {
  /** The module: a path under src/ (`lab/exec.ts`) for a relative specifier, else the package name. */
  module: string;
  /** Names imported with braces (`{ a, type B, c as d }` → a, B, c); `*` for a namespace or default import. */
  names: string[];
}

/** The static imports, re-exports and dynamic imports of `source`, a file at `file`. */
export function importsOf(file: string, source: string): Import[] {
  const moduleOf = (spec: string): string => (spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts') : spec);
  const out: Import[] = [];
  const from = /\b(?:import|export)\s+(?:type\s+)?([^'";]*?)\s*\bfrom\s*['"]([^'"]+)['"]/g;
  for (const m of source.matchAll(from)) {
    const clause = m[1]!;
    const braces = /\{([^}]*)\}/.exec(clause);
    const names = braces
      ? braces[1]!
          .split(',')
          .map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!)
          .filter(Boolean)
      : [];
    // A default or namespace import (`x`, `* as x`, `x, { … }`) takes the whole module.
    if (!braces || clause.replace(/\{[^}]*\}/, '').replace(/[\s,]|type/g, '') !== '') names.push('*');
    out.push({ module: moduleOf(m[2]!), names });
  }
  for (const m of source.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) out.push({ module: moduleOf(m[1]!), names: ['*'] });
  for (const m of source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ module: moduleOf(m[1]!), names: ['*'] });
  return out;
}

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
