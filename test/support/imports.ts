import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** src/, the tree the import rules guard. */
export const SRC = join(import.meta.dirname, '..', '..', 'src');

/** Every .ts file under `dir`. */
export function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

export interface Import {
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

