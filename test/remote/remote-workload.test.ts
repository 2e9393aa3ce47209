import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { needsScript, parseNeeds } from '../../src/remote/host-needs.js';
import { REMOTE_HTTP_NEEDS, REMOTE_POSTGRES_NEEDS } from '../../src/remote/remote-workload.js';

describe("--workload postgres's needs on a real host", () => {
  it('lists what a host lacks with the package that brings it', () => {
    const out = execaSync('sh', ['-c', needsScript([{ what: 'no-such-tool-xyz', test: 'command -v no-such-tool-xyz', fix: 'apt-get install xyz-pkg' }, { what: 'sh', test: 'command -v sh', fix: 'apt-get install dash' }])]).stdout;
    expect(parseNeeds(out)).toEqual(['no-such-tool-xyz (apt-get install xyz-pkg)']);
  });

  it('names the PostgreSQL server binaries, its user and amcheck, from postgresql-15', () => {
    const pg = REMOTE_POSTGRES_NEEDS.filter((n) => n.fix === 'apt-get install postgresql-15').map((n) => n.what);
    expect(pg).toEqual(expect.arrayContaining(['/usr/lib/postgresql/15/bin/postgres', '/usr/lib/postgresql/15/bin/initdb', 'user postgres', 'amcheck']));
  });
});

describe("--workload http's needs on a real host", () => {
  it('names the ext4 tools and what writes the data file, each with its package', () => {
    expect(REMOTE_HTTP_NEEDS.map((n) => `${n.what}:${n.fix.replace('apt-get install ', '')}`)).toEqual(expect.arrayContaining(['mkfs.ext4:e2fsprogs', 'fsfreeze:util-linux', 'dd:coreutils']));
    // This machine has them all (the lab's --workload http runs here).
    expect(parseNeeds(execaSync('sh', ['-c', needsScript(REMOTE_HTTP_NEEDS)]).stdout)).toEqual([]);
  });
});
