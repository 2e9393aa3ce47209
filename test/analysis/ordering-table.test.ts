import { describe, expect, it } from 'vitest';
import { measuredMode, orderingTable, type Prediction } from '../../src/analysis/ordering-table.js';
import { reps, row } from '../support/result-rows.js';

const PREDICTIONS: Record<string, Prediction> = {
  'kill-copy-boot': { predicted: 'no loss; interruption grows with size', expectsNoLoss: true },
  'copy-boot-kill': { predicted: 'split brain; loses the writes after the copy', expectsNoLoss: false },
};
const predictionOf = (s: string): Prediction | undefined => PREDICTIONS[s];

describe('measuredMode', () => {
  it('names every failure the medians show, or no loss', () => {
    expect(measuredMode(0, 0, 0, 0)).toBe('no loss');
    expect(measuredMode(4096, 0, 0, 0)).toBe('loss');
    expect(measuredMode(4096, 12, 1, 3)).toBe('loss, split brain, corruption, stale reads');
  });
});

describe('orderingTable', () => {
  it('medians of lost bytes, split brain and interruption per strategy, over the successful repetitions', () => {
    const rows = [
      ...reps('kill-copy-boot', 'interruption_ms', [800, 900, 1000]),
      row({ strategy: 'kill-copy-boot', rep: 4, status: 'failed', interruption_ms: '' }),
      ...reps('copy-boot-kill', 'lost_bytes', [0, 8192, 4096], { split_brain_ms: 500, interruption_ms: 0 }),
    ];
    const t = orderingTable(rows, predictionOf);
    expect(t.map((r) => r.strategy)).toEqual(['kill-copy-boot', 'copy-boot-kill']);
    expect(t[0]).toMatchObject({ ok: 3, reps: 4, interruption_ms: 900, lost_bytes: 0, split_brain_ms: 0, measured: 'no loss', asPredicted: true, predicted: PREDICTIONS['kill-copy-boot']!.predicted });
    expect(t[1]).toMatchObject({ ok: 3, reps: 3, lost_bytes: 4096, split_brain_ms: 500, measured: 'loss, split brain', asPredicted: true });
  });

  it('any lost byte in a strategy that expects none is not as predicted, even when the median is 0', () => {
    const t = orderingTable(reps('kill-copy-boot', 'lost_bytes', [0, 0, 4096]), predictionOf);
    expect(t[0]).toMatchObject({ lost_bytes: 0, measured: 'no loss', asPredicted: false });
  });

  it('a lossy strategy that lost nothing is not as predicted', () => {
    expect(orderingTable(reps('copy-boot-kill', 'lost_bytes', [0, 0]), predictionOf)[0]!.asPredicted).toBe(false);
  });

  it('unknown strategies and groups without a successful repetition have no verdict', () => {
    const t = orderingTable([row({ strategy: 'teleport' }), row({ strategy: 'kill-copy-boot', status: 'failed' })], predictionOf);
    expect(t[0]).toMatchObject({ strategy: 'teleport', predicted: '', asPredicted: undefined, measured: 'no loss' });
    expect(t[1]).toMatchObject({ ok: 0, reps: 1, measured: 'no successful repetition', asPredicted: undefined });
    expect(Number.isNaN(t[1]!.interruption_ms)).toBe(true);
  });

  it('one row per sweep point and strategy', () => {
    const rows = ['size=16MiB', 'size=32MiB'].flatMap((p) => reps('kill-copy-boot', 'interruption_ms', [100], { sweep_point: p }));
    expect(orderingTable(rows, predictionOf).map((r) => r.point)).toEqual(['size=16MiB', 'size=32MiB']);
  });
});
