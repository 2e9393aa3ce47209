import { describe, expect, it } from 'vitest';
import { formatPattern, isUniform, parsePattern, PatternSyntaxError } from '../../../src/workload/pattern/spec.js';

describe('parsePattern', () => {
  it.each([
    ['uniform', 'uniform'],
    ['zipf:0.99', 'zipf:0.99'],
    ['hotset:0.05/0.95', 'hotset:0.05/0.95'],
    ['sequential', 'sequential'],
    ['sequential:0.1', 'sequential:0.1'],
    ['100%zipf:1.2', 'zipf:1.2'],
    [' 80%hotset:0.05/0.95 + 20%sequential ', '80%hotset:0.05/0.95+20%sequential'],
    ['50%uniform+25%zipf:1+25%sequential:0.5', '50%uniform+25%zipf:1+25%sequential:0.5'],
  ])('%s → %s, and the canonical text parses back to the same pattern', (text, canonical) => {
    const p = parsePattern(text);
    expect(formatPattern(p)).toBe(canonical);
    expect(parsePattern(canonical)).toEqual(p);
  });

  it('reads the numbers of each part', () => {
    expect(parsePattern('80%hotset:0.05/0.95+20%sequential').parts).toEqual([
      { percent: 80, part: { kind: 'hotset', fraction: 0.05, share: 0.95 } },
      { percent: 20, part: { kind: 'sequential' } },
    ]);
    expect(isUniform(parsePattern('uniform'))).toBe(true);
    expect(isUniform(parsePattern('zipf:1'))).toBe(false);
  });

  it.each([
    ['', /unknown pattern/],
    ['random', /unknown pattern/],
    ['zipf', /needs its skew/],
    ['zipf:0', /greater than 0/],
    ['zipf:-1', /not a number/],
    ['zipf:abc', /not a number/],
    ['zipf:1:2', /one ':'/],
    ['hotset:0.05', /needs F\/P/],
    ['hotset:0/0.9', /in \(0, 1\]/],
    ['hotset:0.1/1.5', /in \[0, 1\]/],
    ['uniform:1', /no argument/],
    ['sequential:2', /in \(0, 1\]/],
    ['50%uniform', /single pattern takes 100/],
    ['80%uniform+sequential', /needs its percent/],
    ['80%uniform+30%sequential', /sum to 100/],
    ['80%uniform+', /unknown pattern/],
  ])('refuses %j', (text, message) => {
    expect(() => parsePattern(text)).toThrow(PatternSyntaxError);
    expect(() => parsePattern(text)).toThrow(message);
  });
});
