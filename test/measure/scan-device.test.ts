import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { latestAcks } from '../../src/measure/journal.js';
import { scanDevice } from '../../src/measure/scan-device.js';
import { fillVolume } from '../../src/workload/fill.js';

// A plain file on a disk filesystem takes O_DIRECT like a device (tmpfs may not): the
// fill and the scan run their real double-buffered paths over it.
const dir = mkdtempSync(join('/var/tmp', 'migbench-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BS = 4096;
// Two full 4 MiB chunks and a partial third: the pipelining's edges (first, last, short).
const BLOCKS = 2 * 1024 + 37;

describe('fillVolume + scanDevice over a file with O_DIRECT', () => {
  it('reads back every block of the fill, and finds exactly the blocks lost after it', async () => {
    const file = join(dir, 'volume.img');
    // Written, not sparse: an O_DIRECT read of a hole is not held to the alignment rules,
    // and alignedBuffer() probes with a read.
    const fd = openSync(file, 'w');
    writeSync(fd, Buffer.alloc(BLOCKS * BS));
    closeSync(fd);
    const fill = await fillVolume(file, BS, BLOCKS);
    const latest = latestAcks({ blockSize: BS, blocks: BLOCKS, fill, acks: [], reads: [] });
    expect(await scanDevice(file, BS, BLOCKS, latest)).toMatchObject({ lostBytes: 0, corruptBytes: 0, blocksChecked: BLOCKS });

    // Zero one block in each chunk (the first, one on the chunk boundary, the last).
    const lost = [0, 1024, BLOCKS - 1];
    const w = openSync(file, 'r+');
    for (const i of lost) writeSync(w, Buffer.alloc(BS), 0, BS, i * BS);
    closeSync(w);
    const v = await scanDevice(file, BS, BLOCKS, latest);
    expect(v.lostBytes).toBe(lost.length * BS);
    expect([...v.lostSample].sort((a, b) => a - b)).toEqual(lost);
    expect(v.blocksChecked).toBe(BLOCKS);
  });
});
