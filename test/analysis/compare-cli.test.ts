import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { compareCommand, COMPARE_DEFAULTS } from '../../src/cli/compare.js';
import { defaultRun, mapRows, writeVariant } from './compare-fixture.js';

/** The default run without precopy's failed repetition: compares clean against itself. */
const clean = () => mapRows(defaultRun(), (r) => (r.status === 'ok' ? r : null));
let out = '';

describe('migbench compare (command)', () => {
  beforeEach(() => {
    out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  it('exit 0 for a run against itself', async () => {
    const dir = writeVariant(clean());
    expect(await compareCommand(dir, dir, COMPARE_DEFAULTS)).toBe(0);
  });

  it('exit 1 when the candidate lacks a strategy the base has', async () => {
    const base = writeVariant(clean());
    const cand = writeVariant(mapRows(clean(), (r) => (r.strategy === 'backup-restore' ? null : r)));
    expect(await compareCommand(base, cand, COMPARE_DEFAULTS)).toBe(1);
    expect(out).toContain('backup-restore: in the base, missing from the candidate');
  });

  it('a changed backend and kernel are reported at the top; exit 2 only with --strict-env', async () => {
    const base = writeVariant(clean());
    const c = mapRows(clean(), (r) => (r.backend ? { ...r, backend: 'dm-clone' } : r));
    c.meta.host = { ...c.meta.host!, kernel: '6.8.0-51-generic' };
    const cand = writeVariant(c);
    const json = join(cand, 'compare.json');
    expect(await compareCommand(base, cand, { ...COMPARE_DEFAULTS, json })).toBe(0);
    expect(out.split('\n')[2]).toBe('### ⚠️ The environment differs (2): the figures may move for this reason, not the code');
    expect(out).toContain('- clone backend: `qemu` → `dm-clone`');
    expect(out).toContain('- kernel: `6.18.44-fc-v782` → `6.8.0-51-generic`');
    expect(JSON.parse(readFileSync(json, 'utf8')).environment).toHaveLength(2);
    expect(await compareCommand(base, cand, { ...COMPARE_DEFAULTS, strictEnv: true })).toBe(2);
    expect(await compareCommand(base, base, { ...COMPARE_DEFAULTS, strictEnv: true })).toBe(0);
  });

  it('BMF of the candidate is written keyed by strategy', async () => {
    const dir = writeVariant(clean());
    const bmf = join(dir, 'bmf.json');
    await compareCommand(dir, dir, { ...COMPARE_DEFAULTS, bmf });
    expect(Object.keys(JSON.parse(readFileSync(bmf, 'utf8')))).toHaveLength(10);
  });
});
