import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Host, HostProcess } from '../../host/host.js';
import type { ResourceScope } from '../../lab/scope.js';
import { packageRoot } from '../../package-root.js';
import type { HydrationYieldConfig } from './hydration-yield-main.js';
import type { YieldPolicy, YieldSummary } from './hydration-yield.js';

export const HYDRATION_YIELD_ENTRY = 'dist/src/transfer/clone/hydration-yield-main.js';

/** How often the controller reads the FUSE count, ms (a miss takes a round trip or more). */
const POLL_MS = 1;

/**
 * Mounts fusectl in the controller's own mount namespace when the host has not (Debian's
 * systemd does; a netns host or a container may not), then runs the controller in place.
 */
const WITH_FUSECTL = 'd=/sys/fs/fuse/connections; mountpoint -q "$d" || mount -t fusectl fusectl "$d" || exit 1; exec "$@"';

/**
 * Starts `reader` (an argv) on `host` under the yield controller (hydration-yield-main.ts),
 * which pauses it while the FUSE mount of `fuseFile` has requests waiting. Its stdout is the
 * reader's, then one `hydration-yield` line ({@link yieldSummaryOf}).
 */
export function startYieldingReader(scope: ResourceScope, host: Host, fuseFile: string, reader: string[], policy: YieldPolicy): HostProcess {
  const file = join(packageRoot(), HYDRATION_YIELD_ENTRY);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\``);
  const config: HydrationYieldConfig = { fuseFile, policy, pollMs: POLL_MS, command: reader };
  return host.start(scope, 'unshare', ['--mount', '--propagation', 'private', 'sh', '-c', WITH_FUSECTL, 'hydration-yield', process.execPath, file, JSON.stringify(config)], {
    stdout: 'pipe',
  });
}

/** The controller's summary from one line of its output, or undefined for any other line (pure). */
export function yieldSummaryOf(line: string): YieldSummary | undefined {
  const m = /^hydration-yield (\{.*\})$/.exec(line.trim());
  if (!m) return undefined;
  const v = JSON.parse(m[1]!) as Partial<YieldSummary>;
  const fields = ['pauses', 'pausedMs', 'forcedRuns', 'maxWaiting', 'polls'] as const;
  if (fields.some((f) => typeof v[f] !== 'number')) return undefined;
  return v as YieldSummary;
}
