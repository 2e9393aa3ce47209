import { describe, expect, it } from 'vitest';
import { EXPECTATIONS } from '../../src/results/expectations.js';
import { judgeRepetition, verdicts } from '../../src/analysis/verdict.js';
import type { Row } from '../../src/results/read-results.js';

const row = (strategy: string, rep: number, over: Record<string, string> = {}): Row => ({
  strategy,
  rep: String(rep),
  sweep_point: '',
  status: 'ok',
  error: '',
  lost_bytes: '0',
  corrupt_bytes: '0',
  diverged_bytes: '0',
  stale_reads: '0',
  split_brain_ms: '0',
  ...over,
});

describe('judgeRepetition', () => {
  it('passes a clean repetition of a strategy that must lose nothing', () => {
    const v = judgeRepetition(row('mirror', 1));
    expect(v.judgement).toBe('as predicted');
    expect(v.observed).toEqual([]);
  });

  it('flags split brain in a strategy predicted to have none, with the milliseconds', () => {
    const v = judgeRepetition(row('mirror', 1, { split_brain_ms: '502' }));
    expect(v.judgement).toBe('unexpected');
    expect(v.unexpected).toEqual(['split_brain']);
    expect(v.reasons).toEqual(['502 ms of split brain, predicted none']);
  });

  it('flags corruption even where loss is predicted', () => {
    const v = judgeRepetition(row('copy-kill-boot', 2, { lost_bytes: '4096', corrupt_bytes: '512' }));
    expect(v.judgement).toBe('unexpected');
    expect(v.unexpected).toEqual(['corrupt']);
  });

  it('flags stale reads and diverged bytes in a no-loss strategy', () => {
    const v = judgeRepetition(row('async-clone', 1, { stale_reads: '3', diverged_bytes: '4096' }));
    expect(v.unexpected).toEqual(['diverged', 'stale_reads']);
  });

  it('allows stale reads and diverged bytes alongside a predicted loss', () => {
    const v = judgeRepetition(row('kill-boot-copy', 1, { lost_bytes: '4096', stale_reads: '9', diverged_bytes: '8192' }));
    expect(v.judgement).toBe('as predicted');
  });

  it('keeps the error text of a failed repetition', () => {
    const v = judgeRepetition(row('precopy', 3, { status: 'failed', error: 'QMP said no', lost_bytes: '' }));
    expect(v.judgement).toBe('unexpected');
    expect(v.observed).toEqual(['failed']);
    expect(v.reasons[0]).toBe('repetition failed: QMP said no');
  });

  it('calls a predicted failure mode that did not show milder, not as predicted', () => {
    const v = judgeRepetition(row('copy-boot-kill', 1, { lost_bytes: '4096' }));
    expect(v.judgement).toBe('milder');
    expect(v.missing).toEqual(['split_brain']);
  });

  it('holds an unknown strategy to no loss', () => {
    expect(judgeRepetition(row('teleport', 1, { lost_bytes: '1' })).judgement).toBe('unexpected');
  });
});

describe('verdicts', () => {
  it('counts k/N as predicted and keeps the one corrupt repetition of three visible', () => {
    const [v] = verdicts([row('kill-copy-boot', 1), row('kill-copy-boot', 2, { corrupt_bytes: '4096' }), row('kill-copy-boot', 3)]);
    expect(v!.asPredicted).toBe(2);
    expect(v!.reps).toBe(3);
    expect(v!.judgement).toBe('not as predicted');
    expect(v!.marks).toEqual(['corrupt']);
    expect(v!.failing.map((r) => r.rep)).toEqual(['2']);
  });

  it('marks a failed repetition on the strategy', () => {
    const [v] = verdicts([row('precopy', 1), row('precopy', 2, { status: 'failed', error: 'boom' })]);
    expect(v!.ok).toBe(1);
    expect(v!.marks).toEqual(['failed']);
    expect(v!.judgement).toBe('not as predicted');
  });

  it('groups by sweep point', () => {
    const vs = verdicts([row('mirror', 1, { sweep_point: 'size=1MiB' }), row('mirror', 1, { sweep_point: 'size=2MiB' })]);
    expect(vs.map((v) => v.label)).toEqual(['mirror @ size=1MiB', 'mirror @ size=2MiB']);
  });

  it('has an expectation for every strategy of the default run', () => {
    expect(Object.keys(EXPECTATIONS)).toHaveLength(10);
  });
});
