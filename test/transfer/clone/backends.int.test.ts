import { constants } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHostPair } from '../../../src/lab/hosts.js';
import { Ledger } from '../../../src/lab/ledger.js';
import { createLoopDevice } from '../../../src/lab/loop-device.js';
import { startNbdExport } from '../../../src/lab/nbd-export.js';
import { ResourceScope } from '../../../src/lab/scope.js';
import { latestAcks } from '../../../src/measure/journal.js';
import { scanDevice } from '../../../src/measure/scan-device.js';
import { cloneBackend, type BackendName } from '../../../src/transfer/clone/registry.js';
import type { CloneProgress } from '../../../src/transfer/clone/backend.js';
import { alignedBuffer } from '../../../src/workload/aligned-buffer.js';
import { fillVolume } from '../../../src/workload/fill.js';
import type { AckRecord } from '../../../src/workload/records.js';
import { BlockState, checkBlock, emptyStamp, encodeBlock } from '../../../src/workload/stamp.js';
import { migbenchLeftovers } from '../../support/leftovers.js';

const SIZE = 32 * 2 ** 20;
const BS = 4096;
const REGION = 64 * 1024;
const BLOCKS = SIZE / BS;
const WRITER_EPOCH = 5;

async function availability(name: BackendName): Promise<string | undefined> {
  try {
    return await cloneBackend(name).unavailable();
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * One contract, two backends: the clone is usable at once, reads of regions not yet on B
 * return the source's data (never stale, never zeros), partial writes into unhydrated
 * regions stick, hydration completes, the source can go, and after finalize the raw
 * destination holds exactly source + writes.
 */
describe.each(['qemu', 'dm-clone'] as const)('clone backend %s', async (name) => {
  const why = await availability(name);
  afterAll(async () => {
    if (!why) expect(await migbenchLeftovers()).toEqual([]);
  });

  it.skipIf(why !== undefined)(`hydrates without loss or stale reads${why ? ` (skipped: ${why})` : ''}`, async () => {
    const state = mkdtempSync(join(tmpdir(), 'migbench-clone-'));
    const id = Math.random().toString(16).slice(2, 8);
    const scope = new ResourceScope(new Ledger(`clone-${id}`, state));
    const acks: AckRecord[] = [];
    try {
      const hosts = await createHostPair(scope, `mgbt${id}`, { rateBps: 400e6 });
      const src = await createLoopDevice(scope, `/dev/shm/migbench-test-${id}-src.img`, SIZE);
      const dst = await createLoopDevice(scope, `/dev/shm/migbench-test-${id}-dst.img`, SIZE);
      const fill = await fillVolume(src, BS, BLOCKS);
      const exp = await startNbdExport(scope, hosts.a, { plugin: ['file', `file=${src}`], latencyMs: 0, workDir: state, name: 'src' });
      const backend = cloneBackend(name);
      const clone = await backend.create(scope, {
        sourceUri: exp.uri,
        sourceHost: exp.host,
        sourcePort: exp.port,
        sizeBytes: SIZE,
        destDevice: dst,
        regionSizeBytes: REGION,
        // Slow enough that the tail of the device is still remote while we poke at it.
        hydrationRateBps: 64e6,
        hydrationInflightBytes: 2 * 2 ** 20,
        // dm-clone has no rate limit: one region at a time keeps it slow in the same way.
        hydrationThreshold: 1,
        hydrationBatch: 1,
        workDir: state,
        host: hosts.b,
        signal: new AbortController().signal,
      });
      await clone.startHydration();

      const fh = await open(clone.device, constants.O_RDWR | constants.O_DIRECT | constants.O_DSYNC);
      const buf = await alignedBuffer(fh, 2 * BS);
      const words = new Uint32Array(buf.buffer, buf.byteOffset, (2 * BS) / 4);
      const out = emptyStamp();
      let seq = 0;
      const write = async (index: number, count: number): Promise<void> => {
        for (let k = 0; k < count; k++) {
          const stampNs = Number(process.hrtime.bigint());
          encodeBlock(words, (k * BS) / 4, BS / 4, { epoch: WRITER_EPOCH, seq: seq++, index: index + k, stampNs });
        }
        await fh.write(buf, 0, count * BS, index * BS);
        const ackNs = Number(process.hrtime.bigint());
        for (let k = 0; k < count; k++) {
          acks.push({ type: 1, index: index + k, epoch: WRITER_EPOCH, seq: seq - count + k, stampNs: words[(k * BS) / 4 + 4]! + words[(k * BS) / 4 + 5]! * 2 ** 32, ackNs });
        }
      };
      const readBlock = async (index: number) => {
        await fh.read(buf, 0, BS, index * BS);
        expect(checkBlock(words, 0, BS / 4, index, out)).toBe(BlockState.Valid);
        return { ...out };
      };

      // Reads of the (still remote) tail return the source's version of each block.
      for (const index of [BLOCKS - 1, BLOCKS - 100, BLOCKS - 1000]) {
        expect(await readBlock(index)).toMatchObject({ epoch: 0, seq: index });
      }
      // Partial writes into regions not yet hydrated: one block mid-region, two blocks
      // straddling a region boundary, and the device's last block.
      const perRegion = REGION / BS;
      const targets: [number, number][] = [
        [BLOCKS - 3 * perRegion + 5, 1],
        [BLOCKS - 5 * perRegion - 1, 2],
        [BLOCKS - 1, 1],
      ];
      for (const [index, count] of targets) await write(index, count);
      for (const [index, count] of targets) {
        for (let k = 0; k < count; k++) expect(await readBlock(index + k)).toMatchObject({ epoch: WRITER_EPOCH });
        // The rest of the region still reads as the source.
        expect(await readBlock(index - 1)).toMatchObject({ epoch: 0, seq: index - 1 });
      }

      const seen: CloneProgress[] = [];
      await clone.waitHydrated((p) => seen.push(p), 100);
      const last = seen.at(-1)!;
      expect(last.hydrated).toBe(last.total);
      expect(last.total).toBe(SIZE / REGION);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.hydrated).toBeGreaterThanOrEqual(seen[i - 1]!.hydrated);

      // Independent of the source from here on.
      await clone.detachSource();
      await exp.daemon.stop();
      expect(await readBlock(0)).toMatchObject({ epoch: 0, seq: 0 });
      expect(await readBlock(targets[0]![0])).toMatchObject({ epoch: WRITER_EPOCH });
      await write(10, 1);
      await fh.close();

      await clone.finalize();
      const latest = latestAcks({ blockSize: BS, blocks: BLOCKS, fill, acks, reads: [] });
      const v = await scanDevice(dst, BS, BLOCKS, latest);
      expect(v).toMatchObject({ lostBytes: 0, corruptBytes: 0, blocksChecked: BLOCKS });
    } finally {
      await scope.close();
    }
  });
});
