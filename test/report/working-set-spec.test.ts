import { describe, expect, it } from 'vitest';
import { hasWorkingSet, workingSetSpec } from '../../src/report/working-set-spec.js';

const tl = (rep: string, t_ms: number, distinct: string, ws: string, over: Record<string, string> = {}) => ({ strategy: 'precopy', rep, sweep_point: '', volume: '', t_ms: String(t_ms), distinct_blocks_written: distinct, working_set_blocks: ws, ...over });

describe('working-set plot', () => {
  const timeline = [tl('1', -250, '10', ''), tl('1', 0, '20', '20'), tl('1', 250, '5', '22')];
  const runs = [{ strategy: 'precopy', rep: '1', sweep_point: '', volume: '', block_size_bytes: '65536', write_pattern: 'hotset:0.05/0.95' }];

  it('is drawn only when the timeline records a working set', () => {
    expect(hasWorkingSet(timeline)).toBe(true);
    expect(hasWorkingSet([tl('1', 0, '', '')])).toBe(false);
  });

  it('plots the cumulative set in MiB and the distinct blocks per second, labelled by the write pattern', () => {
    const spec = workingSetSpec(timeline, runs) as unknown as { vconcat: [{ layer: { data: { values: Record<string, unknown>[] } }[] }, { data: { values: Record<string, unknown>[] } }] };
    const cum = spec.vconcat[0].layer[0]!.data.values;
    const per = spec.vconcat[1].data.values;
    expect(cum).toEqual([
      { series: 'precopy hotset:0.05/0.95', rep: '1', t_s: 0.25, mib: 1.25 },
      { series: 'precopy hotset:0.05/0.95', rep: '1', t_s: 0.5, mib: 22 / 16 },
    ]);
    expect(per!.map((d) => d.per_s)).toEqual([40, 80, 20]);
    const swept = workingSetSpec([tl('1', 0, '1', '1', { sweep_point: 'write-pattern=zipf:1 link=1Gbit/s', dirty_bytes: '1048576', precopy_round: '0' })], [{ ...runs[0]!, sweep_point: 'write-pattern=zipf:1 link=1Gbit/s', write_pattern: 'zipf:1' }]) as unknown as { vconcat: [{ layer: { data: { values: Record<string, unknown>[] } }[] }] };
    expect(swept.vconcat[0].layer[0]!.data.values[0]!.series).toBe('precopy zipf:1 link=1Gbit/s');
    expect(swept.vconcat[0].layer[1]!.data.values).toEqual([{ series: 'precopy zipf:1 link=1Gbit/s', rep: '1', t_s: 0, mib: 1, pass: '0' }]);
  });
});
