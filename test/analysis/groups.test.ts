import { describe, expect, it } from 'vitest';
import { higherIsBetter } from '../../src/analysis/groups.js';

describe('higherIsBetter', () => {
  it('takes delivered rates, throughputs and efficiencies as better when larger', () => {
    for (const c of ['write_rate_achieved_bps_baseline', 'write_rate_achieved_bps_migration', 'read_rate_achieved_per_s', 'link_measured_bps', 'copy_efficiency', 'acked_writes']) expect(higherIsBetter(c), c).toBe(true);
  });
  it('takes times, latencies and losses as better when smaller', () => {
    for (const c of ['interruption_ms', 'read_p99_us_hydrating', 'lost_bytes', 'corrupt_reads', 'kill_at_ms']) expect(higherIsBetter(c), c).toBe(false);
  });
});
