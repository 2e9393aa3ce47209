import { isAbsolute, join, relative } from 'node:path';

/** A controller work path under `root` mapped under a host's `<dataDir>/work` (pure). */
export function mapWorkPath(root: string, dataDir: string, path: string): string {
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${path} is not a work path (outside ${root})`);
  return join(dataDir, 'work', rel);
}

/**
 * Where a run's UNIX sockets are named on a real host: a symbolic link to the run's work
 * directory there (`<dataDir>/work/<run>`), short whatever the data directory, so that a
 * socket's path (qemu-storage-daemon's QMP and NBD sockets, PostgreSQL's) stays within
 * the 107 bytes of `sun_path` and `ssh -O forward` takes it. The role keeps two hosts that
 * share one filesystem (the test hosts) apart; the run id, two runs.
 */
export function socketLinkPath(runId: string, role: 'a' | 'b'): string {
  return `/run/migbench-${runId}-${role}`;
}

/** Whether `path` is a name {@link socketLinkPath} makes (cleanup --hosts removes only those outside the data directory). */
export function isSocketLinkPath(path: string): boolean {
  return /^\/run\/migbench-\d{8}-\d{6}-[0-9a-f]+-[ab]$/.test(path);
}

/** `path` (on the host, inside `target`) named through `link` (pure); a path elsewhere unchanged. */
export function mapSocketPath(link: string, target: string, path: string): string {
  const rel = relative(target, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path;
  return join(link, rel);
}
