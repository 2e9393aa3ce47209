import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering of issue 16: the written record (results/) and what reads it (analysis/,
 * report/) sit below the strategies and the lab. Type-only imports count too: a type
 * from strategy/ or lab/ ties the record to their code just the same.
 */
const SRC = join(import.meta.dirname, '..', 'src');
const FORBIDDEN = ['strategy', 'lab'];
const GUARDED = ['results', 'analysis', 'report'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Module specifiers of every static import/export-from and dynamic import() in `source`. */
export function importSpecifiers(source: string): string[] {
  const specs: string[] = [];
  const patterns = [/\b(?:import|export)\s+(?:type\s+)?[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of source.matchAll(re)) specs.push(m[1]!);
  return specs;
}

/** The top-level folder of src/ a relative specifier resolves to, or undefined for a package. */
function layerOf(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return relative(SRC, resolve(dirname(file), spec)).split(/[\\/]/)[0];
}

describe('architecture', () => {
  it('finds static, type-only, re-export and dynamic imports', () => {
    const text = [
      "import { a } from '../strategy/x.js';",
      "import type {\n  B,\n  C,\n} from '../lab/y.js';",
      "export { d } from './z.js';",
      "export type { E } from '../lab/e.js';",
      "const m = await import('../strategy/m.js');",
      "import 'side-effect';",
    ].join('\n');
    expect(importSpecifiers(text)).toEqual(['../strategy/x.js', '../lab/y.js', './z.js', '../lab/e.js', 'side-effect', '../strategy/m.js']);
    expect(layerOf(join(SRC, 'results', 'rows.ts'), '../strategy/x.js')).toBe('strategy');
  });

  for (const layer of GUARDED) {
    it(`src/${layer}/ imports nothing from ${FORBIDDEN.map((f) => `src/${f}/`).join(' or ')}`, () => {
      const files = tsFiles(join(SRC, layer));
      expect(files.length).toBeGreaterThan(0);
      const bad = files.flatMap((f) =>
        importSpecifiers(readFileSync(f, 'utf8'))
          .filter((s) => FORBIDDEN.includes(layerOf(f, s) ?? ''))
          .map((s) => `${relative(SRC, f)} → ${s}`),
      );
      expect(bad).toEqual([]);
    });
  }
});
