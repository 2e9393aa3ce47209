import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideOut, inspectOut } from '../../src/cli/out-dir.js';
import { resultHeaders } from '../../src/results/results-dir.js';

const empty = { hasResults: false, headersMatch: false };
const same = { hasResults: true, headersMatch: true };
const other = { hasResults: true, headersMatch: false };

describe('--out decision', () => {
  it('creates a directory without results, whatever the flags', () => {
    expect(decideOut('d', empty, {})).toEqual({ action: 'create' });
    expect(decideOut('d', empty, { append: true })).toEqual({ action: 'create' });
  });
  it('refuses existing results unless told', () => {
    const r = decideOut('d', same, {});
    expect(r.action).toBe('refuse');
    expect(r.action === 'refuse' && r.why).toMatch(/--out d already holds results.*--overwrite.*--append/);
  });
  it('overwrites or appends when told; append only onto the same columns', () => {
    expect(decideOut('d', other, { overwrite: true })).toEqual({ action: 'overwrite' });
    expect(decideOut('d', same, { append: true })).toEqual({ action: 'append' });
    expect(decideOut('d', other, { append: true }).action).toBe('refuse');
    expect(decideOut('d', same, { append: true, overwrite: true }).action).toBe('refuse');
  });
  it('reads a directory: headers of this version match, others do not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'out-'));
    expect(inspectOut(join(dir, 'missing'))).toEqual(empty);
    writeFileSync(join(dir, 'meta.json'), '{}');
    expect(inspectOut(dir)).toEqual(other);
    const h = resultHeaders();
    writeFileSync(join(dir, 'runs.csv'), `${h.runs}\n`);
    writeFileSync(join(dir, 'timeline.csv'), `${h.timeline}\n`);
    expect(inspectOut(dir)).toEqual(same);
    writeFileSync(join(dir, 'runs.csv'), 'run_id,strategy\n');
    expect(inspectOut(dir)).toEqual(other);
  });
});
