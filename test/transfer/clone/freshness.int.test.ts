import { constants, mkdtempSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHostPair } from '../../../src/lab/hosts.js';
import { Ledger } from '../../../src/lab/ledger.js';
import { createLoopDevice } from '../../../src/lab/loop-device.js';
import { startNbdExport } from '../../../src/lab/nbd-export.js';
import { ResourceScope } from '../../../src/lab/scope.js';
import { cloneBackend, type BackendName } from '../../../src/transfer/clone/registry.js';
import { alignedBuffer } from '../../../src/workload/aligned-buffer.js';
import { fillVolume } from '../../../src/workload/fill.js';
import { BlockState, checkBlock, emptyStamp, encodeBlock } from '../../../src/workload/stamp.js';
import { migbenchLeftovers } from '../../support/leftovers.js';

const SIZE = 32 * 2 ** 20;
const BS = 4096;
const REGION = 64 * 1024;
const BLOCKS = SIZE / BS;
/** The device's first and last blocks (where probes read), and blocks sharing regions with each other. */
const BURST = [0, 1, 17, BLOCKS / 2, BLOCKS / 2 + 3, BLOCKS - 2, BLOCKS - 1];

async function availability(name: BackendName): Promise<string | undefined> {
  try {
    return await cloneBackend(name).unavailable();
  } catch (err) {
    return (err as Error).message;
  }
}

/** Writes every block of `indexes` on `fh` with `epoch` (O_DIRECT | O_DSYNC: on the device when it returns). */
async function writeBurst(fh: FileHandle, indexes: readonly number[], epoch: number): Promise<void> {
  const buf = await alignedBuffer(fh, BS);
  const words = new Uint32Array(buf.buffer, buf.byteOffset, BS / 4);
  for (const [seq, index] of indexes.entries()) {
    encodeBlock(words, 0, BS / 4, { epoch, seq, index, stampNs: Number(process.hrtime.bigint()) });
    await fh.write(buf, 0, BS, index * BS);
  }
}

/**
 * The clone is prepared while the source still writes, so it must not have fetched
 * anything by the time the source stops: A writes a burst (twice) after the clone is
 * prepared and right before the "kill", then B reads exactly those blocks first, before
 * any hydration, and must see the newest version of each.
 */
describe.each(['qemu', 'dm-clone'] as const)('clone backend %s prepared before the kill', async (name) => {
  const why = await availability(name);
  afterAll(async () => {
    if (!why) expect(await migbenchLeftovers()).toEqual([]);
  });

  it.skipIf(why !== undefined)(`serves the source's last writes${why ? ` (skipped: ${why})` : ''}`, async () => {
    const state = mkdtempSync(join(tmpdir(), 'migbench-fresh-'));
    const id = Math.random().toString(16).slice(2, 8);
    const scope = new ResourceScope(new Ledger(`fresh-${id}`, state));
    try {
      const hosts = await createHostPair(scope, `mgbf${id}`, { rateBps: 400e6 });
      const src = await createLoopDevice(scope, `/dev/shm/migbench-test-${id}-src.img`, SIZE);
      const dst = await createLoopDevice(scope, `/dev/shm/migbench-test-${id}-dst.img`, SIZE);
      await fillVolume(src, BS, BLOCKS);
      const exp = await startNbdExport(scope, hosts.a, { plugin: ['file', `file=${src}`], latencyMs: 0, workDir: state, name: 'src' });
      const prepared = await cloneBackend(name).prepare(scope, {
        sourceUri: exp.uri,
        sourceHost: exp.host,
        sourcePort: exp.port,
        sizeBytes: SIZE,
        destDevice: dst,
        regionSizeBytes: REGION,
        hydrationRateBps: 0,
        hydrationInflightBytes: 2 * 2 ** 20,
        workDir: state,
        host: hosts.b,
        signal: new AbortController().signal,
      });

      // A's last writes: two epochs, the second one the newest.
      const a = await open(src, constants.O_RDWR | constants.O_DIRECT | constants.O_DSYNC);
      await writeBurst(a, BURST, 7);
      await writeBurst(a, BURST, 8);
      await a.close();

      const clone = await prepared.activate();
      const b = await open(clone.device, constants.O_RDONLY | constants.O_DIRECT);
      const buf = await alignedBuffer(b, BS);
      const words = new Uint32Array(buf.buffer, buf.byteOffset, BS / 4);
      const out = emptyStamp();
      const seen: { index: number; epoch: number }[] = [];
      for (const index of BURST) {
        await b.read(buf, 0, BS, index * BS);
        expect(checkBlock(words, 0, BS / 4, index, out)).toBe(BlockState.Valid);
        seen.push({ index, epoch: out.epoch });
      }
      await b.close();
      expect(seen).toEqual(BURST.map((index) => ({ index, epoch: 8 })));
    } finally {
      await scope.close();
    }
  });
});
