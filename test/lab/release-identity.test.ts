import { describe, expect, it } from 'vitest';
import { releaseOrder } from '../../src/lab/cleanup.js';
import type { LedgerEntry } from '../../src/lab/ledger.js';
import { loopsOf } from '../../src/lab/loop-device.js';
import { hasRunMark } from '../../src/lab/run-marker.js';
import { abortsAt, parseAbortAt } from '../../src/strategy/test-abort-hook.js';

describe('loop identity', () => {
  const kernel = new Map([
    ['/dev/loop0', '/dev/shm/a.img'],
    ['/dev/loop1', '/'],
    ['/dev/loop2', '/dev/shm/b.img (deleted)'],
    ['/dev/loop3', '/'],
  ]);
  it('finds loops by backing path, deleted or not', () => {
    expect(loopsOf({ backingFile: '/dev/shm/a.img' }, kernel)).toEqual(['/dev/loop0']);
    expect(loopsOf({ backingFile: '/dev/shm/b.img' }, kernel)).toEqual(['/dev/loop2']);
  });
  it('finds a loop over a dead FUSE file (shown as /) only by its recorded device', () => {
    expect(loopsOf({ backingFile: '/run/x/clone.raw', device: '/dev/loop3' }, kernel)).toEqual(['/dev/loop3']);
    expect(loopsOf({ backingFile: '/run/x/clone.raw' }, kernel)).toEqual([]);
    // A recorded device now backed by someone else's file is not ours.
    expect(loopsOf({ backingFile: '/run/x/clone.raw', device: '/dev/loop0' }, kernel)).toEqual([]);
  });
});

describe('cleanup order', () => {
  it('processes, stacked devices, loops, files, then dirs, cgroups and namespaces; newest first within a kind', () => {
    const open: LedgerEntry[] = [
      { kind: 'netns', name: 'n' },
      { kind: 'cgroup', path: 'cg' },
      { kind: 'dir', path: 'd' },
      { kind: 'file', path: 'f1' },
      { kind: 'loop', backingFile: 'f1' },
      { kind: 'process', pid: 1, startTime: 1, comm: 'nbdkit' },
      { kind: 'file', path: 'f2' },
      { kind: 'loop', backingFile: 'f2' },
      { kind: 'mount', path: 'm' },
      { kind: 'process', pid: 2, startTime: 2, comm: 'nbdfuse' },
    ];
    expect(releaseOrder(open).map((e) => ('path' in e ? e.path : 'backingFile' in e ? `loop ${e.backingFile}` : 'pid' in e ? e.comm : e.name))).toEqual([
      'nbdfuse', 'nbdkit', 'm', 'loop f2', 'loop f1', 'f2', 'f1', 'd', 'cg', 'n',
    ]);
  });
});

describe('run mark', () => {
  it('matches the exact run id only', () => {
    expect(hasRunMark('PATH=/bin\0MIGBENCH_RUN_ID=20261130-1\0', '20261130-1')).toBe(true);
    expect(hasRunMark('MIGBENCH_RUN_ID=20261130-12\0', '20261130-1')).toBe(false);
    expect(hasRunMark('', '20261130-1')).toBe(false);
  });
});

describe('test abort hook', () => {
  it('parses a step name or index and an optional delay', () => {
    expect(parseAbortAt(undefined)).toBeUndefined();
    expect(parseAbortAt('async-clone')).toEqual({ step: 'async-clone', delayMs: 0 });
    expect(parseAbortAt('async-clone+4000')).toEqual({ step: 'async-clone', delayMs: 4000 });
    expect(parseAbortAt('3')).toEqual({ index: 3, delayMs: 0 });
    expect(abortsAt({ index: 3, delayMs: 0 }, 'export', 3)).toBe(true);
    expect(abortsAt({ step: 'warmup', delayMs: 0 }, 'export', 3)).toBe(false);
  });
});
