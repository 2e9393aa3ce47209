import type { Host } from '../host/host.js';
import { ProcessExitedError } from '../host/errors.js';
import { ResourceScope } from '../lab/scope.js';
import type { Ledger } from '../lab/ledger.js';
import type { LatestAcks } from '../measure/journal.js';
import { emptyVerification, verifyBlocks, type Verification } from '../measure/verifier.js';
import { emptyStamp, encodeBlock } from './stamp.js';

const CHUNK = 1 << 20;
const now = (): number => Number(process.hrtime.bigint());

/**
 * fillVolume on a device of a real host: the same stamped blocks (epoch 0, seq = index),
 * generated here and written there by `dd oflag=direct conv=fsync` (durable before it
 * exits), so the device is opened only on the host that returned its name.
 */
export async function fillVolumeOn(ledger: Ledger, host: Host, device: string, blockSize: number, blocks: number): Promise<{ stampNs: number; ackNs: number }> {
  const scope = new ResourceScope(ledger);
  try {
    const dd = host.start(scope, 'dd', [`of=${device}`, `bs=${CHUNK}`, 'iflag=fullblock', 'oflag=direct', 'conv=fsync', 'status=none'], { stdin: 'pipe' });
    const chunkBlocks = Math.max(1, Math.floor(CHUNK / blockSize));
    const stamp = emptyStamp();
    const stampNs = now();
    stamp.stampNs = stampNs;
    const stdin = dd.stdin!;
    for (let first = 0; first < blocks; first += chunkBlocks) {
      const count = Math.min(chunkBlocks, blocks - first);
      const buf = Buffer.alloc(count * blockSize);
      const words = new Uint32Array(buf.buffer, buf.byteOffset, buf.length / 4);
      for (let k = 0; k < count; k++) {
        stamp.index = first + k;
        stamp.seq = first + k;
        encodeBlock(words, (k * blockSize) / 4, blockSize / 4, stamp);
      }
      if (!stdin.write(buf)) await new Promise<void>((resolve) => stdin.once('drain', () => resolve()));
    }
    stdin.end();
    const r = await dd.exited;
    if (r.exitCode !== 0) throw new ProcessExitedError(`filling ${device} on ${host.name} (dd)`, r);
    return { stampNs, ackNs: now() };
  } finally {
    await scope.close();
  }
}

/**
 * scanDevice on a device of a real host: `dd iflag=direct` reads it there (the page cache
 * cannot answer) and streams it here, where every block is verified as it arrives.
 */
export async function scanDeviceOn(ledger: Ledger, host: Host, device: string, blockSize: number, blocks: number, latest: LatestAcks, forked?: Uint8Array): Promise<Verification> {
  const scope = new ResourceScope(ledger);
  try {
    const dd = host.start(scope, 'dd', [`if=${device}`, `bs=${CHUNK}`, 'iflag=direct', 'status=none'], { stdout: 'pipe' });
    const chunkBlocks = Math.max(1, Math.floor(CHUNK / blockSize));
    const buf = Buffer.alloc(chunkBlocks * blockSize);
    const words = new Uint32Array(buf.buffer, buf.byteOffset, buf.length / 4);
    const v = emptyVerification();
    let filled = 0;
    let first = 0;
    const flush = (): void => {
      const count = Math.min(filled / blockSize, blocks - first);
      if (count > 0) verifyBlocks(words, blockSize, first, count, latest, v, forked);
      first += count;
      filled = 0;
    };
    for await (const piece of dd.stdout! as AsyncIterable<Buffer>) {
      for (let at = 0; at < piece.length; ) {
        const n = Math.min(piece.length - at, buf.length - filled);
        piece.copy(buf, filled, at, at + n);
        filled += n;
        at += n;
        if (filled === buf.length) flush();
      }
    }
    if (filled % blockSize) throw new Error(`${device} on ${host.name}: a partial block at the end (${filled % blockSize} bytes)`);
    flush();
    const r = await dd.exited;
    if (r.exitCode !== 0) throw new ProcessExitedError(`reading ${device} on ${host.name} (dd)`, r);
    if (first !== blocks) throw new Error(`short read on ${device} on ${host.name}: ${first} of ${blocks} blocks`);
    return v;
  } finally {
    await scope.close();
  }
}
