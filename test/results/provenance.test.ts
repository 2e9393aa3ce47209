import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toolVersions } from '../../src/results/provenance.js';

/** A fake tool in `dir` running `body` (sh). */
function fakeTool(dir: string, name: string, body: string): void {
  writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(dir, name), 0o755);
}

describe('toolVersions', () => {
  const saved = process.env.PATH;
  afterEach(() => {
    process.env.PATH = saved;
  });

  it("records each tool's first stdout line, its stderr when stdout is empty, and 'not installed' for a missing one", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migbench-versions-'));
    symlinkSync('/bin/sh', join(dir, 'sh'));
    fakeTool(dir, 'nbdkit', 'echo; echo "nbdkit 9.9.9"; echo second line');
    fakeTool(dir, 'fio', 'echo "fio-9.9" >&2; exit 1');
    fakeTool(dir, 'dmsetup', 'echo "/dev/mapper/control: open failed" >&2; echo "Library version: 1.2.3"');
    fakeTool(dir, 'ip', '[ "$1" = -V ] && echo "iproute2 via $1"');
    process.env.PATH = dir;
    const v = await toolVersions();
    expect(v.nbdkit).toBe('nbdkit 9.9.9');
    expect(v.fio).toBe('fio-9.9');
    expect(v.dmsetup).toBe('Library version: 1.2.3');
    expect(v.iproute2).toBe('iproute2 via -V');
    expect(v.nbdcopy).toBe('not installed');
    expect(v.era_invalidate).toBe('not installed');
    expect(Object.keys(v)).toHaveLength(9);
  });
});
