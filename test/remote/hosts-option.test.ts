import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIError } from '../../src/cli/errors.js';
import { inventoryOf } from '../../src/cli/hosts-option.js';
import { runCommand, type RunOptions } from '../../src/cli/run.js';
import { DEFAULTS } from '../../src/scenario/options.js';

const dir = mkdtempSync(join(tmpdir(), 'migbench-hosts-'));
const good = join(dir, 'hosts.yaml');
writeFileSync(good, 'a:\n  ssh: root@a\nb:\n  ssh: root@b\n');
const bad = join(dir, 'bad.json');
writeFileSync(bad, JSON.stringify({ a: { ssh: 'root@a' } }));

/** The exit code of the error `f` throws. */
function exitOf(f: () => unknown): number | undefined {
  try {
    f();
  } catch (err) {
    return err instanceof CLIError ? err.exitCode : -1;
  }
  return undefined;
}

describe('--hosts / --host-a / --host-b', () => {
  it('none of them: the embedded lab', () => {
    expect(inventoryOf({})).toBeUndefined();
  });

  it('reads an inventory file, or the two URLs', () => {
    expect(inventoryOf({ hosts: good })!.b.target).toBe('root@b');
    expect(inventoryOf({ hostA: 'ssh://root@x:2200', hostB: 'ssh://y' })!.a.port).toBe(2200);
  });

  it.each([
    ['a missing file', { hosts: join(dir, 'absent.json') }, /no such file/],
    ['a bad inventory', { hosts: bad }, /host "b" is missing/],
    ['--host-a alone', { hostA: 'ssh://x' }, /go together/],
    ['both forms', { hosts: good, hostA: 'ssh://x', hostB: 'ssh://y' }, /not both/],
  ])('%s is bad input (exit 2)', (_what, o, message) => {
    expect(exitOf(() => inventoryOf(o))).toBe(2);
    expect(() => inventoryOf(o)).toThrow(message);
  });

  it.each([
    // What the lab refuses, real hosts refuse the same way (a fault and a drain with either application workload run on both).
    ['a fault on a drain with PostgreSQL', { strategy: 'kill-copy-boot', workload: 'postgres', volumes: '2', fault: 'link-down@start/1s' }, /not on a drain of 2/],
    ['dest-crash with HTTP', { strategy: 'async-clone', workload: 'http', fault: 'dest-crash@hydration:50%' }, /cannot be crashed on B/],
    ['source-crash with HTTP', { strategy: 'kill-copy-boot', workload: 'http', fault: 'source-crash@kill' }, /cannot measure a source lost for good/],
    ['a malformed clock bound', { strategy: 'kill-copy-boot', maxClockUncertainty: 'soon' }, /--max-clock-uncertainty/],
  ])('run on real hosts refuses %s with exit 2 before anything is provisioned', async (_what, o, message) => {
    const err = await runCommand({ ...DEFAULTS, hosts: good, ...o } as RunOptions, new AbortController().signal, '0.0.0').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CLIError);
    expect((err as CLIError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(message);
  });
});
