import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHostPair } from '../../../src/lab/hosts.js';
import { Ledger } from '../../../src/lab/ledger.js';
import { createLoopDevice } from '../../../src/lab/loop-device.js';
import { exportPort } from '../../../src/lab/ports.js';
import { ResourceScope } from '../../../src/lab/scope.js';
import { DeltaServer } from '../../../src/transfer/dirty/delta-server.js';
import { extentBytes, type Extent } from '../../../src/transfer/dirty/extents.js';
import { RoundCopier } from '../../../src/transfer/dirty/round-copier.js';
import { fillVolume } from '../../../src/workload/fill.js';
import { mulberry32 } from '../../../src/measure/prng.js';
import { migbenchLeftovers } from '../../support/leftovers.js';

const SIZE = 32 * 2 ** 20;
const BS = 4096;
const BLOCKS = SIZE / BS;

/**
 * A pass the way the final one looks, plus the shapes the stream must carve: 1500 scattered
 * single blocks, runs of adjacent ones (merged into one write on B), a 3 MiB extent (spills
 * over the copier's 1 MiB slots) and a piece that is not 4 KiB-aligned (written through the
 * page cache). In offset order, as a tracker lists them.
 */
function pass(): Extent[] {
  const random = mulberry32(15);
  const taken = new Set<number>();
  const out: Extent[] = [{ offset: 100 * BS, length: 768 * BS }, { offset: 2000 * BS + 512, length: 1000 }];
  for (let b = 3000; b < 3000 + 40; b += 10) out.push({ offset: b * BS, length: 3 * BS });
  for (let b = 3100; b < 3200; b++) taken.add(b);
  while (taken.size < 100 + 1500) {
    const b = 4000 + Math.floor(random() * (BLOCKS - 4000));
    if (taken.has(b)) continue;
    taken.add(b);
    out.push({ offset: b * BS, length: BS });
  }
  return out.sort((x, y) => x.offset - y.offset);
}

/** Extents of `list` whose bytes differ between `a` and `b` (whole-device images). */
function differing(a: Buffer, b: Buffer, list: readonly Extent[]): Extent[] {
  return list.filter((e) => !a.subarray(e.offset, e.offset + e.length).equals(b.subarray(e.offset, e.offset + e.length)));
}

/** Whether `b` is zero everywhere outside `list`. */
function zeroOutside(b: Buffer, list: readonly Extent[]): boolean {
  let at = 0;
  for (const e of [...list, { offset: b.length, length: 0 }]) {
    if (!b.subarray(at, e.offset).every((x) => x === 0)) return false;
    at = Math.max(at, e.offset + e.length);
  }
  return true;
}

/** A's delta server variants the copier is run against: env for the server's start. */
const SERVERS: [string, Record<string, string>][] = [
  ['native server, backing-file reads', { MIGBENCH_DELTA_SERVER: 'native' }],
  ['native server, O_DIRECT device reads', { MIGBENCH_DELTA_SERVER: 'native', MIGBENCH_DELTA_READ: 'device' }],
  ['node server', { MIGBENCH_DELTA_SERVER: 'node' }],
];

/**
 * The native round copier (native/round-copier.c) in B's namespace, against each delta
 * server on A over the shaped link: a scattered pass lands byte-exactly, a warm-up writes
 * nothing, and the byte check catches a dropped block and a wrong byte (the copier's
 * MIGBENCH_COPIER_FAULT hook), each once.
 */
describe.each(SERVERS)('native round copier, %s', (_, serverEnv) => {
  afterAll(async () => {
    expect(await migbenchLeftovers()).toEqual([]);
  });

  it('copies a pass of scattered extents byte-exactly, writes nothing on a warm-up, and the check sees a dropped or wrong block', async () => {
    const state = mkdtempSync(join(tmpdir(), 'migbench-native-copier-'));
    const id = Math.random().toString(16).slice(2, 8);
    const scope = new ResourceScope(new Ledger(`native-copier-${id}`, state));
    const signal = new AbortController().signal;
    const names = ['MIGBENCH_COPIER', 'MIGBENCH_COPIER_FAULT', 'MIGBENCH_DELTA_SERVER', 'MIGBENCH_DELTA_READ'];
    const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
    process.env.MIGBENCH_COPIER = 'native';
    Object.assign(process.env, serverEnv);
    try {
      const hosts = await createHostPair(scope, `mgbn${id}`, { rateBps: 1e9 });
      const src = await createLoopDevice(scope, `/dev/shm/migbench-test-${id}-src.img`, SIZE);
      const dst = await createLoopDevice(scope, `/dev/shm/migbench-test-${id}-dst.img`, SIZE);
      await fillVolume(src, BS, BLOCKS);
      const server = await DeltaServer.start(scope, hosts.a, { address: hosts.a.address, port: exportPort('delta'), device: src, latencyMs: 0 }, signal);
      const config = { host: hosts.a.address, port: 1, exportName: '', device: dst, connections: 1, requestsPerConnection: 1, requestBytes: BS, delta: { host: server.address, port: server.port } };
      const list = pass();
      const a = await readFile(src);

      const copier = RoundCopier.start(scope, hosts.b, config);
      // A warm-up of other blocks fetches them and writes nothing.
      const warm = Array.from({ length: 256 }, (_, k) => ({ offset: (4001 + 16 * k) * BS, length: BS })).filter((e) => !list.some((x) => x.offset === e.offset));
      expect((await copier.warm(warm, signal)).bytes).toBe(extentBytes(warm));
      expect((await readFile(dst)).every((x) => x === 0)).toBe(true);
      const r = await copier.copy(list, signal);
      expect(r.bytes).toBe(extentBytes(list));
      const b = await readFile(dst);
      expect(differing(a, b, list)).toEqual([]);
      expect(zeroOutside(b, list)).toBe(true);
      // An empty batch answers at once.
      expect((await copier.copy([], signal)).bytes).toBe(0);
      await copier.stop();

      // The same check, with the copier told to drop the first extent's write, then to flip one of its bytes.
      for (const fault of ['drop', 'flip']) {
        await fillVolume(dst, BS, BLOCKS); // B differs from A everywhere again (fill stamps each call)
        process.env.MIGBENCH_COPIER_FAULT = fault;
        const faulty = RoundCopier.start(scope, hosts.b, config);
        delete process.env.MIGBENCH_COPIER_FAULT;
        await faulty.copy(list, signal);
        await faulty.stop();
        expect(differing(a, await readFile(dst), list), fault).toEqual([list[0]]);
      }
      await server.stop();
    } finally {
      for (const n of names) {
        if (saved[n] === undefined) delete process.env[n];
        else process.env[n] = saved[n];
      }
      await scope.close();
    }
  });
});
