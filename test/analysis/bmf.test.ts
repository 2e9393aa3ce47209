import { describe, expect, it } from 'vitest';
import { toBmf } from '../../src/analysis/bmf.js';
import { reps } from '../support/result-rows.js';

describe('toBmf keys', () => {
  it('two sweep points of one strategy are two benchmarks, each with its own median', () => {
    const rows = [...reps('mirror', 'interruption_ms', [400, 410, 420], { sweep_point: 'size=64MiB' }), ...reps('mirror', 'interruption_ms', [900, 910, 920], { sweep_point: 'size=256MiB' })];
    const bmf = toBmf(rows);
    expect(Object.keys(bmf)).toEqual(['mirror @ size=64MiB', 'mirror @ size=256MiB']);
    expect(bmf['mirror @ size=64MiB']!.interruption_ms!.value).toBe(410);
    expect(bmf['mirror @ size=256MiB']!.interruption_ms!.value).toBe(910);
  });
});
