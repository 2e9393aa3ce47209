import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasTool, missingTool } from '../../src/lab/exec.js';

describe('hasTool (PATH lookup, as `command -v` finds a program)', () => {
  const saved = process.env.PATH;
  afterEach(() => {
    process.env.PATH = saved;
  });

  it('finds an executable file on PATH, not a plain file, a directory or a missing name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migbench-exec-'));
    writeFileSync(join(dir, 'runnable'), '#!/bin/sh\n');
    chmodSync(join(dir, 'runnable'), 0o755);
    writeFileSync(join(dir, 'plain'), '');
    chmodSync(join(dir, 'plain'), 0o644);
    mkdirSync(join(dir, 'adir'));
    process.env.PATH = `/nonexistent:${dir}`;
    expect(await hasTool('runnable')).toBe(true);
    expect(await hasTool('plain')).toBe(false);
    expect(await hasTool('adir')).toBe(false);
    expect(await hasTool('no-such-tool')).toBe(false);
    expect(await hasTool(join(dir, 'runnable'))).toBe(true);
    expect(await missingTool(['runnable', 'nbd-client'])).toMatch(/^nbd-client .*not installed/);
    expect(await missingTool(['runnable'])).toBeUndefined();
  });
});
