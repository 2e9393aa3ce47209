import { describe, expect, it } from 'vitest';
import { dbColumns } from '../../../src/results/db-cells.js';
import { parseFsck } from '../../../src/workload/postgres/dest-boot.js';
import { unbootedCheck } from '../../../src/workload/postgres/verify.js';

const BASE = { lostCommits: 0, indeterminate: 0, recoveryMs: 12.3, recoveryLogMs: 11, integrityOk: true, integrityDetail: '', tpsBaseline: 1, tpsMigration: 1, tpsAfter: 1 };

describe('booting the database on a torn copy', () => {
  it("reads e2fsck's exit status and counts the fixes it accepted", () => {
    const out = [
      'Pass 1: Checking inodes, blocks, and sizes',
      'Inode 12 has illegal block(s).  Clear? yes',
      'Block bitmap differences:  -(1234--1240)',
      'Fix? yes',
      '',
      '/dev/loop7: ***** FILE SYSTEM WAS MODIFIED *****',
      '/dev/loop7: 1234/16384 files (0.1% non-contiguous), 9000/16384 blocks',
      'e2fsck-exit=1',
    ].join('\n');
    expect(parseFsck(out)).toEqual({ exitCode: 1, fixes: 2, summary: '/dev/loop7: ***** FILE SYSTEM WAS MODIFIED ***** | /dev/loop7: 1234/16384 files (0.1% non-contiguous), 9000/16384 blocks' });
    expect(parseFsck('/dev/loop7: clean\ne2fsck-exit=0').fixes).toBe(0);
    // No status line (the shell died): an operational error, not a clean check.
    expect(parseFsck('garbage').exitCode).toBe(8);
  });

  it('counts every acknowledged commit lost when the database never came up, and fails integrity', () => {
    const c = unbootedCheck([1, 2, 3, 3], 'FATAL: could not create file: Bad message');
    expect(c).toMatchObject({ lostCommits: 3, lostSample: [1, 2, 3, 3], integrityOk: false, notBooted: 'FATAL: could not create file: Bad message' });
  });

  it('fills the boot columns, and blanks the cut-over figures of a B that never served', () => {
    expect(dbColumns(BASE)).toMatchObject({ fsck_exit: '', fsck_fixes: '', db_boot_failed: 'false', db_boot_error: '' });
    expect(dbColumns(BASE)).not.toHaveProperty('interruption_ms');
    const failed = dbColumns({ ...BASE, recoveryMs: undefined, recoveryLogMs: undefined, integrityOk: false, lostCommits: 7, bootError: 'mount: bad superblock', fsck: { exitCode: 4, fixes: 12 } });
    expect(failed).toMatchObject({ fsck_exit: 4, fsck_fixes: 12, db_boot_failed: 'true', db_boot_error: 'mount: bad superblock', recovery_ms: '', interruption_ms: '', split_brain_ms: '', boot_ms: '', lost_commits: 7, integrity_ok: 'false' });
  });
});
