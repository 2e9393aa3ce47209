/**
 * The documentation's shape: a short README that links every page under docs/, relative
 * links that resolve (files and #anchors), and a column reference generated from the code.
 * `npm run docs` rewrites the generated blocks (scripts/gen-docs).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderColumnTable, renderRunColumnsDoc, renderTimelineColumnsDoc, replaceGenerated } from '../src/results/columns-doc.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const README = join(ROOT, 'README.md');
const DOCS = join(ROOT, 'docs');
/** "Under 12 KB": the stricter reading (12 000 bytes, not 12 KiB), so both readings hold. */
const README_MAX_BYTES = 12_000;

/** Markdown files under docs/, recursively, as absolute paths. */
function docFiles(dir = DOCS): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? docFiles(p) : [p];
  });
}

/** The text outside fenced code blocks and code spans: links inside code are not links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Targets of inline links `[text](target)` and reference definitions `[x]: target`. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const refs = [...text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]!);
  return [...inline, ...refs];
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  const count = new Map<string, number>();
  const noFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const m of noFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = count.get(slug) ?? 0;
    count.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** Problems with the relative links of one file: missing files and missing anchors. */
function brokenLinks(file: string): string[] {
  const problems: string[] = [];
  for (const target of linkTargets(readFileSync(file, 'utf8'))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: — not checked offline
    const [path, anchor] = target.split('#', 2) as [string, string | undefined];
    const dest = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
    const where = `${relative(ROOT, file)} → ${target}`;
    if (!existsSync(dest)) {
      problems.push(`${where}: no such file`);
      continue;
    }
    if (anchor !== undefined && dest.endsWith('.md') && !anchors(readFileSync(dest, 'utf8')).has(anchor)) {
      problems.push(`${where}: no such heading`);
    }
  }
  return problems;
}

describe('link helpers', () => {
  it('finds links outside code and none inside it', () => {
    const md = '[a](docs/x.md) `[b](no.md)`\n```\n[c](no.md)\n```\n[d](<y.md#z> "t")\n[e]: ./z.md\n';
    expect(linkTargets(md)).toEqual(['docs/x.md', 'y.md#z', './z.md']);
  });

  it('makes GitHub anchors', () => {
    expect([...anchors('## `migbench report DIR [--out DIR]`\n# A: b\n# A: b\n')]).toEqual(['migbench-report-dir---out-dir', 'a-b', 'a-b-1']);
  });
});

describe('README', () => {
  it(`is under ${README_MAX_BYTES} bytes`, () => {
    expect(statSync(README).size).toBeLessThan(README_MAX_BYTES);
  });

  it('links every page under docs/ (docs/options.md included)', () => {
    const linked = new Set(
      linkTargets(readFileSync(README, 'utf8'))
        .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t))
        .map((t) => resolve(ROOT, decodeURIComponent(t.split('#')[0]!))),
    );
    const pages = [...docFiles(), join(DOCS, 'options.md')];
    expect(pages.filter((p) => !linked.has(p)).map((p) => relative(ROOT, p))).toEqual([]);
  });

  it('keeps the quick start that .ci/run checks', () => {
    const readme = readFileSync(README, 'utf8');
    expect(linkTargets(readme).length).toBeGreaterThan(5);
    expect(readme).toContain('scripts/setup && npx migbench run');
    expect(readme).toMatch(/^npm test\b/m);
  });
});

describe('relative links', () => {
  const files = [README, ...docFiles().filter((f) => f.endsWith('.md'))];
  it.each(files.map((f) => [relative(ROOT, f), f]))('%s: every relative link resolves', (_name, file) => {
    expect(brokenLinks(file)).toEqual([]);
  });
});

describe('docs/results.md column reference', () => {
  const page = join(DOCS, 'results.md');

  it('is what the code renders from its column lists', () => {
    const text = readFileSync(page, 'utf8');
    const want = replaceGenerated(replaceGenerated(text, 'columns', renderRunColumnsDoc()), 'timeline-columns', renderTimelineColumnsDoc());
    expect(text, 'docs/results.md is stale: run `npm run docs`').toBe(want);
  });

  it('the renderer refuses an undocumented or doubly documented column', () => {
    expect(() => renderColumnTable(['a', 'b'], [{ columns: ['a'], meaning: 'x' }])).toThrow(/without a description: b/);
    expect(() => renderColumnTable(['a'], [{ columns: ['a'], meaning: 'x' }, { columns: ['a'], meaning: 'y' }])).toThrow(/twice/);
    expect(renderColumnTable(['a', 'b', 'c'], [{ columns: ['c', 'a'], meaning: 'x' }, { columns: ['b'], meaning: 'y' }])).toBe(
      '| column | meaning |\n|---|---|\n| `a, c` | x |\n| `b` | y |',
    );
  });
});
