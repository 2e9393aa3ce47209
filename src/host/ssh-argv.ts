/**
 * How migbench calls the system `ssh` (pure). The user's ~/.ssh/config applies (no `-F`):
 * options given here on the command line win over it, everything else (ProxyJump, User,
 * IdentityFile when the inventory names none) comes from it.
 */

/** Where and how to reach one host. */
export interface SshEndpoint {
  /** `user@host` or `host` (a ~/.ssh/config alias works). */
  target: string;
  port?: number;
  /** Private key; absent: ssh's own choice (agent, ~/.ssh/config). */
  identity?: string;
  /** The known_hosts file migbench keeps (host keys are accepted on first use). */
  knownHosts: string;
  /** Extra `-o Key=Value` options (the inventory's sshOptions). */
  options?: readonly string[];
  /** Directory of the connection-sharing sockets (short: a socket path has ~100 bytes). */
  controlDir: string;
}

/** How long an idle shared connection stays up after the last command. */
export const CONTROL_PERSIST_S = 60;
/** Keep-alive: a host that misses this many probes this many seconds apart is dead to ssh. */
export const SERVER_ALIVE_INTERVAL_S = 5;
export const SERVER_ALIVE_COUNT_MAX = 3;
/** Connect timeout: an unreachable host fails fast instead of after the TCP default. */
export const CONNECT_TIMEOUT_S = 10;

/**
 * The options every ssh call of `e` carries: nothing prompts (BatchMode), one shared
 * connection per host (ControlMaster/ControlPersist: a command costs a round trip, not a
 * handshake), a dead host is noticed (ServerAlive*), new host keys are accepted into
 * migbench's own known_hosts file and changed ones refused.
 */
export function sshOptions(e: SshEndpoint): string[] {
  const o = (kv: string): string[] => ['-o', kv];
  return [
    ...o('BatchMode=yes'),
    ...o('ControlMaster=auto'),
    ...o(`ControlPath=${e.controlDir}/%C`),
    ...o(`ControlPersist=${CONTROL_PERSIST_S}`),
    ...o(`ServerAliveInterval=${SERVER_ALIVE_INTERVAL_S}`),
    ...o(`ServerAliveCountMax=${SERVER_ALIVE_COUNT_MAX}`),
    ...o(`ConnectTimeout=${CONNECT_TIMEOUT_S}`),
    ...o('StrictHostKeyChecking=accept-new'),
    ...o(`UserKnownHostsFile=${e.knownHosts}`),
    ...(e.options ?? []).flatMap(o),
    ...(e.port !== undefined ? ['-p', String(e.port)] : []),
    ...(e.identity !== undefined ? ['-i', e.identity, ...o('IdentitiesOnly=yes')] : []),
  ];
}

/** `s` quoted for a POSIX shell (the remote login shell parses the command line ssh sends). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\-+=./:,@%]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A remote command line: `env K=V … cmd args…`, every word quoted (pure). */
export function remoteCommand(cmd: string, args: readonly string[], env: Record<string, string> = {}): string {
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return [...(assignments.length ? ['env', ...assignments] : []), cmd, ...args].map(shellQuote).join(' ');
}

/** The first line a started process writes to stderr: its remote PID (see {@link startWrapper}). */
export const REMOTE_PID_MARK = 'migbench-remote-pid ';

/**
 * The remote command that starts `cmd args` for `start()`: the shell reports its own PID
 * on stderr and then becomes the command (`exec` keeps the PID), so `stop()` can signal
 * the remote process itself — signalling the local ssh alone would leave it running.
 */
export function startWrapper(cmd: string, args: readonly string[], env: Record<string, string> = {}, cgroupProcs?: string): string {
  return `${joinCgroup(cgroupProcs)}echo "${REMOTE_PID_MARK}$$" >&2; exec ${remoteCommand(cmd, args, env)}`;
}

/**
 * The prefix that makes the remote shell a member of the cgroup whose `cgroup.procs` is
 * `procsFile` before it execs the command (same PID, so the command and everything it
 * forks count there; as lab-host.ts inCgroupArgv); empty without a group (pure).
 */
export function joinCgroup(procsFile: string | undefined): string {
  return procsFile === undefined ? '' : `echo $$ > ${shellQuote(procsFile)} && `;
}

/** The local argv for running the remote command line `command` on `e` (`-n`: no stdin). */
export function sshArgv(e: SshEndpoint, command: string, { stdin = false } = {}): [string, string[]] {
  return ['ssh', [...sshOptions(e), ...(stdin ? [] : ['-n']), '-T', e.target, '--', command]];
}
