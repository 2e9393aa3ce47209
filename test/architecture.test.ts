import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importsOf, SRC, tsFiles, type Import } from './support/imports.js';
import { describe, expect, it } from 'vitest';

/**
 * The layering of issue 16: the written record (results/) and what reads it (analysis/,
 * report/) sit below the strategies and the lab. Type-only imports count too: a type
 * from strategy/ or lab/ ties the record to their code just the same.
 */
const FORBIDDEN = ['strategy', 'lab'];
const GUARDED = ['results', 'analysis', 'report'];

/** The top-level folder of src/ an import resolves to, or undefined for a package. */
const layerOf = (imp: Import): string | undefined => (imp.module.includes('/') && !imp.module.startsWith('node:') && !imp.module.startsWith('@') ? imp.module.split('/')[0] : undefined);

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
    const imports = importsOf(join(SRC, 'results', 'rows.ts'), text);
    expect(imports.map((i) => i.module)).toEqual(['strategy/x.ts', 'lab/y.ts', 'results/z.ts', 'lab/e.ts', 'side-effect', 'strategy/m.ts']);
    expect(imports.map(layerOf)).toEqual(['strategy', 'lab', 'results', 'lab', undefined, 'strategy']);
  });

  for (const layer of GUARDED) {
    it(`src/${layer}/ imports nothing from ${FORBIDDEN.map((f) => `src/${f}/`).join(' or ')}`, () => {
      const files = tsFiles(join(SRC, layer));
      expect(files.length).toBeGreaterThan(0);
      const bad = files.flatMap((f) =>
        importsOf(f, readFileSync(f, 'utf8'))
          .filter((imp) => FORBIDDEN.includes(layerOf(imp) ?? ''))
          .map((imp) => `${relative(SRC, f)} → ${imp.module}`),
      );
      expect(bad).toEqual([]);
    });
  }
});
