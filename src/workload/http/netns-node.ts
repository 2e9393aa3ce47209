import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LabHost } from '../../host/lab-host.js';
import { onLines as onStreamLines } from '../../host/lines.js';
import { untilExit } from '../../host/race.js';
import type { Daemon } from '../../lab/daemon.js';
import type { ResourceScope } from '../../lab/scope.js';
import { packageRoot } from '../../package-root.js';

/**
 * Starts a compiled migbench entry point with Node inside network namespace `netns`
 * (a LabHost: `nsenter --net`, which keeps the controller's mount namespace, so the
 * filesystems migbench mounts and unmounts are the ones the process sees).
 */
export function startNodeInNetns(scope: ResourceScope, netns: string, entry: string, config: unknown, stopGraceMs = 5000): Daemon {
  const file = join(packageRoot(), entry);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\``);
  return new LabHost(netns).start(scope, process.execPath, [file, JSON.stringify(config)], {
    stdin: 'pipe',
    stdout: 'pipe',
    stopGraceMs,
  });
}

/** Calls `onLine` for every line the daemon prints on stdout (the shared splitter). */
export function onLines(d: Pick<Daemon, 'stdout'>, onLine: (line: string) => void): void {
  if (d.stdout) onStreamLines(d.stdout, onLine);
}

/**
 * Resolves with `wait`; rejects with the daemon's stderr (a ProcessExitedError) if it
 * exits first, or on abort; the abort listener does not outlive the wait.
 */
export function untilOrExit<T>(d: Pick<Daemon, 'exited'>, wait: Promise<T>, what: string, signal?: AbortSignal): Promise<T> {
  return untilExit(d, wait, `${what}: process`, signal);
}
