/**
 * Which `--fault`s run on real hosts (issue 13), and the one check that needs the hosts:
 * a link fault acts on each host's link interface only, never on the one SSH uses.
 */
import type { FaultSpec } from '../fault/spec.js';
import type { RemoteSide } from './remote-side.js';
import { parseRouteDevice } from './remote-side.js';

/**
 * The faults not injected on real hosts, each with why (the one refusal list): every other
 * kind runs unchanged over SSH (link-down/link-flap as a dropping qdisc on the link
 * interface, source-eio and slow-source:RATE through A's trigger files, source-crash and
 * source-restart on A's daemons, dest-crash on B's workload and qemu clone).
 */
const REFUSED: readonly { matches: (f: FaultSpec) => boolean; why: string }[] = [
  {
    matches: (f) => f.kind === 'slow-source' && f.latencyMs !== undefined,
    why: "an added latency (slow-source:LATENCY) is a netem under the lab's tbf, which an unshaped real interface has not; use slow-source:RATE",
  },
];

/** Why `fault` is not injected on real hosts, or undefined (pure). */
export function remoteFaultProblem(fault: FaultSpec): string | undefined {
  const r = REFUSED.find((x) => x.matches(fault));
  return r && `--hosts: --fault ${fault.text} is not injected on real hosts: ${r.why}`;
}

/** Whether `fault` cuts the link (and so must not cut SSH). */
export function cutsLink(fault: FaultSpec): boolean {
  return fault.kind === 'link-down' || fault.kind === 'link-flap';
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
 * interface is also the one SSH uses would lose the connection that undoes the fault.
 */
export async function remoteLinkFaultProblem(sides: readonly RemoteSide[], faults: readonly FaultSpec[]): Promise<string | undefined> {
  const cut = faults.find(cutsLink);
  if (!cut) return undefined;
  for (const side of sides) {
    let ssh: string;
    try {
      ssh = await sshInterface(side);
    } catch (err) {
      // Not knowing is a refusal too: the fault could cut SSH.
      return `--hosts: --fault ${cut.text}: cannot tell which interface SSH uses on ${side.name} (${(err as Error).message}), so its link interface ${side.iface} is not cut`;
    }
    if (ssh === side.iface) {
      return `--hosts: --fault ${cut.text} would cut ${side.name}'s ${side.iface}, which is also the interface SSH uses; give the data link an interface of its own (inventory dataAddress, shapeInterface) or drop the link fault`;
    }
  }
  return undefined;
}
