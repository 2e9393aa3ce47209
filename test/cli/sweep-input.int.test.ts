import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshStateDir, migbench } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'migbench-scenario-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('bad sweeps and scenario files exit 2 and provision nothing', () => {
  it.each([
    [['--size', '64MiB,64XB'], /--size: .*"64XB".*sweep point size=64XB/],
    [['--link', '1Gbit/s,1Gbit/s'], /--link: repeated value/],
    [['--size', '64MiB,64GiB', '--link', '10Mbit/s'], /more than --timeout .*sweep point size=64GiB/],
    [['--scenario', join(dir, 'missing.json')], /--scenario .*missing\.json: no such file/],
    [['--scenario', file('syntax.json', '{"size": [')], /not valid JSON/],
    [['--scenario', file('field.json', '{"sise": "64MiB"}')], /unknown field "sise"/],
    [['--scenario', file('type.json', '{"link": {"rate": 1}}')], /field "link" must be/],
    [['--scenario', file('value.json', '{"write-rate": ["8MB/s", "fast"]}')], /--write-rate: .*"fast"/],
  ])('run %j', async (args, message) => {
    const state = freshStateDir();
    const r = await migbench(['run', '--strategy', 'kill-copy-boot', ...args], state);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(readdirSync(state)).toEqual([]);
  });

  it('report, compare and plan on a directory that is not a results directory', async () => {
    const state = freshStateDir();
    for (const args of [['report', dir], ['compare', dir, dir], ['plan', dir, '--size', '1GiB', '--link', '1Gbit/s', '--volumes', '2']]) {
      const r = await migbench(args, state);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/no runs\.csv/);
    }
    const t = await migbench(['compare', dir, dir, '--threshold', 'lots'], state);
    expect(t.exitCode).toBe(2);
    expect(t.stderr).toMatch(/--threshold "lots"/);
  });
});
