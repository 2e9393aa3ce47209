import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger, parseLedger, readLedgers } from '../../src/lab/ledger.js';

const RUN = '{"op":"run","runId":"r1","pid":4242,"startTime":777,"createdAt":"2024-01-01T00:00:00.000Z"}';
const create = (id: number, entry: object): string => JSON.stringify({ op: 'create', id, entry });
const release = (id: number): string => JSON.stringify({ op: 'release', id });
const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');

describe('parseLedger', () => {
  it('reads an empty file as an ownerless ledger holding nothing', () => {
    expect(parseLedger('/x.jsonl', '')).toEqual({ path: '/x.jsonl', runId: '', ownerPid: 0, ownerStartTime: 0, open: [] });
    expect(parseLedger('/x.jsonl', '\n\n  \n')).toMatchObject({ runId: '', open: [] });
  });

  it('takes the owner from the run line and keeps unreleased entries in creation order', () => {
    const text = lines(
      RUN,
      create(1, { kind: 'netns', name: 'mgbA' }),
      create(2, { kind: 'loop', backingFile: '/dev/shm/a.img' }),
      create(3, { kind: 'process', pid: 99, startTime: 5, comm: 'nbdkit' }),
      release(2),
      create(4, { kind: 'dm', name: 'mgbA-clone' }),
    );
    expect(parseLedger('/s/r1.jsonl', text)).toEqual({
      path: '/s/r1.jsonl',
      runId: 'r1',
      ownerPid: 4242,
      ownerStartTime: 777,
      open: [
        { kind: 'netns', name: 'mgbA' },
        { kind: 'process', pid: 99, startTime: 5, comm: 'nbdkit' },
        { kind: 'dm', name: 'mgbA-clone' },
      ],
    });
  });

  it('holds nothing once every entry is released, in any order', () => {
    const text = lines(RUN, create(1, { kind: 'dir', path: '/a' }), create(2, { kind: 'file', path: '/a/b' }), release(2), release(1));
    expect(parseLedger('p', text).open).toEqual([]);
  });

  it('ignores a release of an id it never saw', () => {
    const text = lines(RUN, create(1, { kind: 'mount', path: '/m' }), release(7));
    expect(parseLedger('p', text).open).toEqual([{ kind: 'mount', path: '/m' }]);
  });

  it('keeps the entry open when its release line was torn: cleanup errs on the side of releasing again', () => {
    const text = `${lines(RUN, create(1, { kind: 'netns', name: 'mgbA' }))}{"op":"release","i`;
    expect(parseLedger('p', text).open).toEqual([{ kind: 'netns', name: 'mgbA' }]);
  });

  it('drops a torn create line but keeps what comes before and after it', () => {
    const text = lines(RUN, create(1, { kind: 'netns', name: 'mgbA' }), '{"op":"create","id":2,"entry":{"kind":"lo', create(3, { kind: 'netns', name: 'mgbB' }));
    expect(parseLedger('p', text).open).toEqual([
      { kind: 'netns', name: 'mgbA' },
      { kind: 'netns', name: 'mgbB' },
    ]);
  });

  it('reads a complete last line that lacks its newline, and CRLF line ends', () => {
    const text = `${RUN}\r\n${create(1, { kind: 'nbd', device: '/dev/nbd3', sizeBytes: 4096 })}`;
    expect(parseLedger('p', text)).toMatchObject({ runId: 'r1', open: [{ kind: 'nbd', device: '/dev/nbd3', sizeBytes: 4096 }] });
  });

  it('has no owner when the run line itself was lost', () => {
    const text = lines('{"op":"run","runId":"r1","pid":42', create(1, { kind: 'netns', name: 'mgbA' }));
    expect(parseLedger('p', text)).toMatchObject({ runId: '', ownerPid: 0, ownerStartTime: 0, open: [{ kind: 'netns', name: 'mgbA' }] });
  });
});

describe('Ledger on disk', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('round-trips through parseLedger and removes itself only once everything is released', () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    const ledger = new Ledger('run-a', dir);
    const a = ledger.intend({ kind: 'netns', name: 'mgbA' });
    const b = ledger.intend({ kind: 'file', path: '/tmp/x' });
    expect([a, b]).toEqual([1, 2]);
    ledger.released(a);
    const state = parseLedger(ledger.path, readFileSync(ledger.path, 'utf8'));
    expect(state).toMatchObject({ runId: 'run-a', ownerPid: process.pid, open: [{ kind: 'file', path: '/tmp/x' }] });
    expect(readLedgers(dir).map((l) => l.runId)).toEqual(['run-a']);
    ledger.finished();
    expect(existsSync(ledger.path)).toBe(true);
    ledger.released(b);
    ledger.finished();
    expect(existsSync(ledger.path)).toBe(false);
    expect(readLedgers(dir)).toEqual([]);
  });

  it('reads no ledgers from a state directory that does not exist', () => {
    expect(readLedgers(join(tmpdir(), 'migbench-no-such-state-dir'))).toEqual([]);
  });
});
