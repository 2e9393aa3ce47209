/**
 * Faults on real hosts (issue 13): every `--fault` kind runs over SSH (link-down/link-flap
 * as a dropping qdisc and slow-source:LATENCY as a netem on the link interface,
 * source-eio and slow-source:RATE through A's trigger files, source-crash and
 * source-restart on A's daemons, dest-crash on B's workload and qemu clone). The one
 * check that needs the hosts: a fault that acts on the link interface never acts on the
 * one SSH uses.
 */
import type { FaultSpec } from '../fault/spec.js';
import type { RemoteSide } from './remote-side.js';
import { parseRouteDevice } from './remote-side.js';

/** Whether `fault` cuts the link (and so must not cut SSH). */
export function cutsLink(fault: FaultSpec): boolean {
  return fault.kind === 'link-down' || fault.kind === 'link-flap';
}

/** Whether `fault` delays the link (slow-source:LATENCY: a netem on A's link interface). */
export function delaysLink(fault: FaultSpec): boolean {
  return fault.kind === 'slow-source' && fault.latencyMs !== undefined;
}

/**
 * The interface `side` sends its SSH replies to the controller over: the route to the
 * client address of this very session (`$SSH_CONNECTION`), asked on the host.
 */
export async function sshInterface(side: RemoteSide): Promise<string> {
  const json = await side.sh(`set -- $SSH_CONNECTION; [ -n "$1" ] || { echo '[]'; exit 0; }; ip -j route get "$1"`);
  return parseRouteDevice(json, "the SSH client ($SSH_CONNECTION's first field)");
}

/**
 * Why the link faults of `faults` cannot run on `sides`, or undefined: a host whose link
 * interface is also the one SSH uses would lose the connection that undoes a cut, and a
 * delay there would slow every command of the run (its own undo too). A delay acts on A
 * only (the source's replies), so only A is asked for it.
 */
export async function remoteLinkFaultProblem(sides: readonly RemoteSide[], faults: readonly FaultSpec[]): Promise<string | undefined> {
  const f = faults.find(cutsLink) ?? faults.find(delaysLink);
  if (!f) return undefined;
  const verb = cutsLink(f) ? 'cut' : 'delay';
  for (const side of cutsLink(f) ? sides : sides.filter((s) => s.label === 'A')) {
    let ssh: string;
    try {
      ssh = await sshInterface(side);
    } catch (err) {
      // Not knowing is a refusal too: the fault could act on SSH.
      return `--hosts: --fault ${f.text}: cannot tell which interface SSH uses on ${side.name} (${(err as Error).message}), so its link interface ${side.iface} is not ${verb === 'cut' ? 'cut' : 'delayed'}`;
    }
    if (ssh === side.iface) {
      return `--hosts: --fault ${f.text} would ${verb} ${side.name}'s ${side.iface}, which is also the interface SSH uses; give the data link an interface of its own (inventory dataAddress, shapeInterface) or drop the link fault`;
    }
  }
  return undefined;
}
