import { describe, expect, it } from 'vitest';
import { EXPECTATIONS } from '../../src/analysis/expectations.js';
import { STRATEGIES } from '../../src/strategy/registry.js';

/** analysis/ may not import strategy/: its table of predictions must agree with the registry's. */
describe('expectations.ts agrees with the strategy registry', () => {
  for (const [name, s] of STRATEGIES) {
    it(name, () => {
      const e = EXPECTATIONS[name];
      expect(e, `${name} missing from src/analysis/expectations.ts`).toBeDefined();
      expect(e!.loses).toBe(!s.expectsNoLoss);
      expect(e!.predicted).toBe(s.predicted);
      expect(e!.splitBrain).toBe(/split brain/.test(s.predicted));
    });
  }
});
