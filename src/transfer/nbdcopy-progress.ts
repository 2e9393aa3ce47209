import type { Daemon } from '../lab/daemon.js';

/**
 * Follows an nbdcopy started with `--progress=1` (stdout piped): it writes "N/100" lines;
 * `onFraction` gets the latest as a fraction.
 */
export function followNbdcopyProgress(d: Daemon, onFraction: (fraction: number) => void): void {
  d.child.stdout?.on('data', (chunk: Buffer) => {
    const m = /(\d+)\/100\s*$/.exec(chunk.toString().trim());
    if (m) onFraction(Number(m[1]) / 100);
  });
}
