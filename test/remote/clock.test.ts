import { describe, expect, it } from 'vitest';
import { clockProblem, estimateOffset, hostClock, toControllerNs } from '../../src/remote/clock.js';

describe('clock offsets', () => {
  it('keeps the tightest round trip and assumes the host read its clock halfway', () => {
    const e = estimateOffset([
      { sentNs: 0, hostNs: 5_000_000, receivedNs: 8_000_000 },
      { sentNs: 10_000_000, hostNs: 1_010_500_000, receivedNs: 10_200_000 }, // tightest: 0.2 ms
      { sentNs: 20_000_000, hostNs: 1_000_000_000, receivedNs: 23_000_000 },
    ]);
    expect(e.rttNs).toBe(200_000);
    expect(e.offsetNs).toBe(1_010_500_000 - 10_100_000);
    expect(e.uncertaintyNs).toBe(100_000);
    expect(e.samples).toBe(3);
    expect(() => estimateOffset([])).toThrow(RangeError);
  });

  it('corrects by the mean of before and after, and widens the bound by half the drift', () => {
    const before = { offsetNs: 1000, uncertaintyNs: 50, rttNs: 100, samples: 8 };
    const after = { offsetNs: 1400, uncertaintyNs: 80, rttNs: 160, samples: 8 };
    const c = hostClock(before, after);
    expect(c).toMatchObject({ offsetNs: 1200, driftNs: 400, uncertaintyNs: 80 + 200 });
    expect(toControllerNs(5000, c)).toBe(3800);
    expect(hostClock(before)).toMatchObject({ offsetNs: 1000, uncertaintyNs: 50, driftNs: 0 });
  });

  it('names the hosts whose uncertainty exceeds the bound', () => {
    const ok = hostClock({ offsetNs: 0, uncertaintyNs: 1e5, rttNs: 2e5, samples: 8 });
    const bad = hostClock({ offsetNs: 0, uncertaintyNs: 3e6, rttNs: 6e6, samples: 8 });
    expect(clockProblem({ a: ok, b: ok }, 2e6)).toBeUndefined();
    expect(clockProblem({ a: ok, b: bad }, 2e6)).toMatch(/^clock offset uncertainty above 2\.000 ms: b ±3\.000 ms/);
  });
});
