import type { Result } from 'execa';
import { ExecaHost } from './execa-host.js';

/**
 * argv that runs `cmd args` in network namespace `netns` and nothing else.
 *
 * Why `nsenter --net` and not `ip netns exec`: `ip netns exec` also unshares the mount
 * namespace (to remount /sys), and on a host whose root mount is private that copy holds
 * every mount as it was: a filesystem migbench unmounts stays alive (its device busy)
 * inside every such process, and a FUSE mount made inside one (nbdfuse) is invisible to
 * losetup outside. `nsenter --net` enters only the network namespace, so every lab
 * process sees the controller's mounts, live. Nothing migbench runs in a lab host needs
 * the namespace's own /sys/class/net or /etc/netns files. nsenter executes the command
 * in place (no fork without --pid), so the PID is the command's own.
 */
export function netnsArgv(netns: string, cmd: string, args: readonly string[]): [string, string[]] {
  return ['nsenter', [`--net=/run/netns/${netns}`, '--', cmd, ...args]];
}

/**
 * argv that runs `argv` as a member of the cgroup whose `cgroup.procs` is `procsFile`: a
 * shell writes its own PID there and execs the command in place (same PID), so the
 * process is in the group before its first instruction and everything it forks inherits
 * the membership.
 */
export function inCgroupArgv(procsFile: string, [file, args]: [string, string[]]): [string, string[]] {
  return ['sh', ['-c', 'echo $$ > "$0" && exec "$@"', procsFile, file, ...args]];
}

/**
 * A host of the embedded lab: a network namespace on this machine (created with
 * `ip netns add`, so its handle is /run/netns/NAME), sharing the controller's
 * filesystem and mounts.
 */
export class LabHost extends ExecaHost {
  /** The `cgroup.procs` of the host's CPU-accounting group (cpu-cgroup.ts), once it has one. */
  cgroupProcs: string | undefined;

  constructor(readonly netns: string) {
    super();
  }

  get name(): string {
    return this.netns;
  }

  argv(cmd: string, args: readonly string[]): [string, string[]] {
    const argv = netnsArgv(this.netns, cmd, args);
    return this.cgroupProcs ? inCgroupArgv(this.cgroupProcs, argv) : argv;
  }

  /** nsenter itself missing, or nsenter reporting that it could not find `cmd` (exit 127). */
  protected override missingProgram(cmd: string, file: string, result: Result): string | undefined {
    const inner = result.exitCode === 127 && String(result.stderr ?? '').includes(`failed to execute ${cmd}`);
    return inner ? cmd : super.missingProgram(cmd, file, result);
  }
}
