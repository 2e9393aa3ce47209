/**
 * Access patterns of the stamped workload (`--write-pattern`, `--read-pattern`): which
 * block each write or read goes to. Pure: the grammar, its parser and the canonical text.
 *
 *   pattern   := component ('+' component)*
 *   component := [percent '%'] kind          (a percent on every part of a mix; they sum to 100)
 *   kind      := 'uniform' | 'zipf:' S | 'hotset:' F '/' P | 'sequential' [':' F]
 */

/** One kind of access. */
export type PatternPart =
  /** Every block equally likely (the default; the figures of before patterns existed). */
  | { kind: 'uniform' }
  /** Zipf over the blocks' ranks with exponent `s` > 0; ranks are scattered over the volume. */
  | { kind: 'zipf'; s: number }
  /** Fraction `fraction` of the blocks (scattered) takes fraction `share` of the accesses. */
  | { kind: 'hotset'; fraction: number; share: number }
  /** A log that wraps: consecutive blocks over the volume, or over a region of `fraction` of it. */
  | { kind: 'sequential'; fraction?: number };

/** A parsed pattern: its parts with their weights (percent, summing to 100). */
export interface Pattern {
  parts: readonly { percent: number; part: PatternPart }[];
}

/** A pattern that does not parse; the message says what is wrong and shows the grammar. */
export class PatternSyntaxError extends Error {
  override readonly name = 'PatternSyntaxError';
}

const GRAMMAR = 'uniform, zipf:S, hotset:F/P, sequential[:F], or a mix like 80%hotset:0.05/0.95+20%sequential';

function number(text: string, what: string, ok: (x: number) => boolean, range: string): number {
  // Number('') is 0 and Number(' 1') is 1: only plain decimals are taken.
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(text)) throw new PatternSyntaxError(`${what} "${text}" is not a number (${GRAMMAR})`);
  const x = Number(text);
  if (!ok(x)) throw new PatternSyntaxError(`${what} ${text} must be ${range}`);
  return x;
}

function parsePart(text: string): PatternPart {
  const [name, arg, ...rest] = text.split(':');
  if (rest.length > 0) throw new PatternSyntaxError(`"${text}": one ':' at most (${GRAMMAR})`);
  switch (name) {
    case 'uniform':
      if (arg !== undefined) throw new PatternSyntaxError('uniform takes no argument');
      return { kind: 'uniform' };
    case 'zipf':
      if (arg === undefined) throw new PatternSyntaxError('zipf needs its skew: zipf:S, e.g. zipf:0.99');
      return { kind: 'zipf', s: number(arg, 'zipf skew', (x) => x > 0 && x <= 10, 'greater than 0 and at most 10') };
    case 'hotset': {
      const [f, p, ...more] = (arg ?? '').split('/');
      if (arg === undefined || p === undefined || more.length > 0) throw new PatternSyntaxError('hotset needs F/P: hotset:0.05/0.95 (5 % of the blocks take 95 % of the accesses)');
      return {
        kind: 'hotset',
        fraction: number(f!, 'hotset fraction', (x) => x > 0 && x <= 1, 'in (0, 1]'),
        share: number(p, 'hotset share', (x) => x >= 0 && x <= 1, 'in [0, 1]'),
      };
    }
    case 'sequential':
      if (arg === undefined) return { kind: 'sequential' };
      return { kind: 'sequential', fraction: number(arg, 'sequential region', (x) => x > 0 && x <= 1, 'in (0, 1]') };
    default:
      throw new PatternSyntaxError(`unknown pattern "${text}" (${GRAMMAR})`);
  }
}

/** Parses a pattern; throws a PatternSyntaxError naming the bad part. */
export function parsePattern(text: string): Pattern {
  const pieces = text.trim().split('+').map((p) => p.trim());
  const parts = pieces.map((piece) => {
    const m = /^(\d+(?:\.\d+)?)%(.*)$/.exec(piece);
    if (!m) return { percent: undefined, part: parsePart(piece) };
    return { percent: number(m[1]!, 'percent', (x) => x > 0 && x <= 100, 'in (0, 100]'), part: parsePart(m[2]!) };
  });
  if (parts.length === 1) {
    const p = parts[0]!;
    if (p.percent !== undefined && p.percent !== 100) throw new PatternSyntaxError(`a single pattern takes 100 % (got ${p.percent} %)`);
    return { parts: [{ percent: 100, part: p.part }] };
  }
  if (parts.some((p) => p.percent === undefined)) throw new PatternSyntaxError(`every part of a mix needs its percent: ${GRAMMAR}`);
  const sum = parts.reduce((s, p) => s + p.percent!, 0);
  if (Math.abs(sum - 100) > 1e-9) throw new PatternSyntaxError(`the parts of a mix must sum to 100 % (got ${sum} %)`);
  return { parts: parts.map((p) => ({ percent: p.percent!, part: p.part })) };
}

function partText(p: PatternPart): string {
  switch (p.kind) {
    case 'uniform':
      return 'uniform';
    case 'zipf':
      return `zipf:${p.s}`;
    case 'hotset':
      return `hotset:${p.fraction}/${p.share}`;
    case 'sequential':
      return p.fraction === undefined ? 'sequential' : `sequential:${p.fraction}`;
  }
}

/** The canonical text of a pattern (what meta.json and runs.csv record); parses back to the same pattern. */
export function formatPattern(p: Pattern): string {
  if (p.parts.length === 1) return partText(p.parts[0]!.part);
  return p.parts.map((x) => `${x.percent}%${partText(x.part)}`).join('+');
}

/** True for the pattern every run used before patterns existed. */
export function isUniform(p: Pattern): boolean {
  return p.parts.length === 1 && p.parts[0]!.part.kind === 'uniform';
}
