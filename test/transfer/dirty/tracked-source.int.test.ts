import { constants, mkdtempSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHostPair } from '../../../src/lab/hosts.js';
import { Ledger } from '../../../src/lab/ledger.js';
import { createLoopDevice } from '../../../src/lab/loop-device.js';
import { ResourceScope } from '../../../src/lab/scope.js';
import { extentBytes } from '../../../src/transfer/dirty/extents.js';
import { RoundCopier } from '../../../src/transfer/dirty/round-copier.js';
import { TrackedSource } from '../../../src/transfer/dirty/tracked-source.js';
import { alignedBuffer } from '../../../src/workload/aligned-buffer.js';
import { migbenchLeftovers } from '../../support/leftovers.js';

const SIZE = 16 * 2 ** 20;
const BS = 4096;

/**
 * The precopy data path on real devices: writes through the tracked device land in the
 * dirty bitmap at 4 KiB granularity, `rotate` lists exactly the written blocks, and the
 * round copier (in B's namespace, over the shaped link) copies exactly those into B.
 */
describe('tracked source and round copier', () => {
  afterAll(async () => {
    expect(await migbenchLeftovers()).toEqual([]);
  });

  it('tracks writes at block granularity and copies exactly the dirty extents to B', async () => {
    const state = mkdtempSync(join(tmpdir(), 'migbench-dirty-'));
    const id = Math.random().toString(16).slice(2, 8);
    const scope = new ResourceScope(new Ledger(`dirty-${id}`, state));
    const signal = new AbortController().signal;
    try {
      const hosts = await createHostPair(scope, `mgbt${id}`, { rateBps: 400e6 });
      const src = await createLoopDevice(scope, `/dev/shm/migbench-test-${id}-src.img`, SIZE);
      const dst = await createLoopDevice(scope, `/dev/shm/migbench-test-${id}-dst.img`, SIZE);
      const t = await TrackedSource.create(scope, { sourceDevice: src, granularityBytes: BS, workDir: state, host: hosts.a, latencyMs: 0, signal });
      await t.startTracking();

      const fh = await open(t.device, constants.O_RDWR | constants.O_DIRECT | constants.O_DSYNC);
      const buf = await alignedBuffer(fh, BS);
      // Blocks 3, 4 (adjacent: one extent), 100 and the last one.
      const written = [3, 4, 100, SIZE / BS - 1];
      for (const b of written) {
        buf.fill(b & 0xff);
        buf.writeUInt32LE(0xc0ffee00 + b, 0);
        await fh.write(buf, 0, BS, b * BS);
      }
      expect(await t.dirtyBytes()).toBe(written.length * BS);
      const first = await t.rotate();
      // The in-process block-status query agrees with nbdinfo --map of the frozen bitmap.
      expect(first).toEqual(await t.nbdinfoMap(1));
      expect(first).toEqual([
        { offset: 3 * BS, length: 2 * BS },
        { offset: 100 * BS, length: BS },
        { offset: SIZE - BS, length: BS },
      ]);
      // The new bitmap starts empty and records only what comes after the rotation.
      expect(await t.dirtyBytes()).toBe(0);
      await fh.write(buf, 0, BS, 7 * BS);
      expect(await t.dirtyBytes()).toBe(BS);
      await fh.close();

      const copier = RoundCopier.start(scope, hosts.b, { host: t.tcp.host, port: t.tcp.port, exportName: '', device: dst, connections: 2, requestsPerConnection: 4, requestBytes: 4096 });
      const r = await copier.copy(first, signal);
      expect(r.bytes).toBe(extentBytes(first));
      await copier.stop();

      const a = await readFile(src);
      const b = await readFile(dst);
      for (let blk = 0; blk < SIZE / BS; blk++) {
        const same = a.subarray(blk * BS, (blk + 1) * BS).equals(b.subarray(blk * BS, (blk + 1) * BS));
        const copied = written.includes(blk);
        // Copied blocks match A; block 7 (dirty after the rotation) and the rest were not copied (zeros on B).
        if (copied) expect(same, `block ${blk}`).toBe(true);
        else expect(b.subarray(blk * BS, (blk + 1) * BS).every((x) => x === 0), `block ${blk} untouched on B`).toBe(true);
      }
    } finally {
      await scope.close();
    }
  }, 60_000);
});
