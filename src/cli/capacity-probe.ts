/** Reads what the backing directory offers (statfs, /proc/meminfo) for the pure check in scenario/capacity.ts. */
import { readFileSync, statfsSync } from 'node:fs';
import type { BackingSpace } from '../scenario/capacity.js';

/** statfs magic of tmpfs (its pages are memory). */
const TMPFS_MAGIC = 0x01021994;

/** Free bytes in `dir`, whether it is tmpfs, and for tmpfs MemAvailable. */
export function probeBackingSpace(dir: string): BackingSpace {
  const st = statfsSync(dir);
  const tmpfs = st.type === TMPFS_MAGIC;
  const space: BackingSpace = { dir, freeBytes: st.bavail * st.bsize, tmpfs };
  if (tmpfs) {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) space.memAvailableBytes = Number(m[1]) * 1024;
  }
  return space;
}
