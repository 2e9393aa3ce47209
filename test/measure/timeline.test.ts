import { describe, expect, it } from 'vitest';
import { DuplicateMarkError, Timeline } from '../../src/measure/timeline.js';

describe('Timeline', () => {
  it('returns the time it marked and reads it back', () => {
    const t = new Timeline();
    expect(t.mark('start', 1000)).toBe(1000);
    expect(t.get('start')).toBe(1000);
    expect(t.get('end')).toBeUndefined();
    expect(t.relMs('start')).toBe(0);
  });

  it('marks now when no time is given', () => {
    const t = new Timeline();
    const before = Timeline.now();
    const at = t.mark('kill_start');
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Timeline.now());
  });

  it('throws a DuplicateMarkError on a second mark and keeps the first time', () => {
    const t = new Timeline();
    t.mark('copy_done', 5);
    let err: unknown;
    try {
      t.mark('copy_done', 7);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DuplicateMarkError);
    expect(err).toMatchObject({ event: 'copy_done', firstNs: 5, secondNs: 7 });
    expect(t.get('copy_done')).toBe(5);
    expect(t.entries()).toEqual([['copy_done', 5]]);
  });

  it('throws even when the second mark repeats the same time', () => {
    const t = new Timeline();
    t.mark('end', 9);
    expect(() => t.mark('end', 9)).toThrow(DuplicateMarkError);
  });
});
