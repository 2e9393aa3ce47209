import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Host, HostProcess } from '../host/host.js';
import { onRecords } from '../host/lines.js';
import type { ResourceScope } from '../lab/scope.js';
import { packageRoot } from '../package-root.js';

/** A migbench child process started with both pipes: the controller talks to it over them. */
export interface NodeEntryProcess extends HostProcess {
  readonly stdin: Writable;
  readonly stdout: Readable;
}

/**
 * Starts a compiled migbench entry point (`entry`, relative to the package) with Node on
 * `host`, its config as JSON in argv[2], stdin and stdout piped. On a lab host it runs in
 * that host's network namespace and sees the controller's mounts (LabHost), so the
 * compiled file checked here is the one it runs.
 */
export function startNodeEntry(scope: ResourceScope, host: Host, entry: string, config: unknown, stopGraceMs: number): NodeEntryProcess {
  const file = join(packageRoot(), entry);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\``);
  const proc = host.start(scope, process.execPath, [file, JSON.stringify(config)], { stdin: 'pipe', stdout: 'pipe', stopGraceMs });
  // Both were asked for: a host that does not pipe them breaks the seam's contract.
  if (!proc.stdin || !proc.stdout) throw new Error(`${entry} on ${host.name}: started without stdin/stdout pipes`);
  return proc as NodeEntryProcess;
}

/**
 * Calls `onRecord` with every NDJSON record `proc` prints (decoded by `decode`). The
 * returned promise rejects with the first line that is not a valid record (a RecordError):
 * a child of migbench that garbles its output is broken, so callers race their waits
 * against it. It never rejects unhandled.
 */
export function onChildRecords<T>(proc: Pick<NodeEntryProcess, 'stdout'>, decode: (value: unknown) => T, onRecord: (record: T) => void): Promise<never> {
  let fail!: (err: Error) => void;
  const broken = new Promise<never>((_, reject) => (fail = reject));
  broken.catch(() => undefined);
  onRecords(proc.stdout, decode, onRecord, fail); // later failures: already rejected
  return broken;
}

/** Waits for the pipe `out` to close: it may still hold what the process wrote before it exited. */
export async function drained(out: Readable): Promise<void> {
  if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
}
