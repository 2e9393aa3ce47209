import { describe, expect, it } from 'vitest';
import { NO_LOSS_STRATEGIES } from '../../src/results/expectations.js';
import { STRATEGIES } from '../../src/strategy/registry.js';

describe('the no-loss table compare reads', () => {
  it('names only strategies the registry has, and the registry takes its expectation from it', () => {
    for (const name of NO_LOSS_STRATEGIES) expect(STRATEGIES.has(name), name).toBe(true);
    for (const [name, s] of STRATEGIES) expect(s.expectsNoLoss, name).toBe(NO_LOSS_STRATEGIES.has(name));
  });

  it('the strategies that lose by design are not in it', () => {
    for (const name of ['kill-boot-copy', 'copy-kill-boot', 'copy-boot-kill', 'boot-kill-copy', 'boot-copy-kill', 'backup-restore']) expect(NO_LOSS_STRATEGIES.has(name), name).toBe(false);
  });
});
