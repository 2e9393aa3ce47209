import type { HostProcess } from '../host/host.js';
import { onLines } from '../host/lines.js';

/** The fraction an nbdcopy `--progress=FD` line ("N/100") reports, or undefined for any other line (pure). */
export function parseNbdcopyProgress(line: string): number | undefined {
  const m = /^\s*(\d+)\/100\s*$/.exec(line);
  return m ? Number(m[1]) / 100 : undefined;
}

/**
 * Follows an nbdcopy started with `--progress=1` (stdout piped): it writes "N/100" lines;
 * `onFraction` gets each as a fraction.
 */
export function followNbdcopyProgress(d: Pick<HostProcess, 'stdout'>, onFraction: (fraction: number) => void): void {
  if (!d.stdout) return;
  onLines(d.stdout, (line) => {
    const f = parseNbdcopyProgress(line);
    if (f !== undefined) onFraction(f);
  });
}
