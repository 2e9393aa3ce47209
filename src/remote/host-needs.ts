import { shellQuote } from '../host/ssh-argv.js';
import type { RemoteHost } from './remote-hosts.js';

/** One thing a real host must have, the shell test that says so, and what brings it. */
export interface HostNeed {
  what: string;
  test: string;
  /** What to do when it is missing: `apt-get install PKG`, `modprobe MOD`, … */
  fix: string;
}

/** A program found by `command -v`, brought by Debian package `pkg`. */
export function aptTool(what: string, pkg: string): HostNeed {
  return { what, test: `command -v ${what}`, fix: `apt-get install ${pkg}` };
}

/** One shell script printing `what<TAB>fix` for each of `needs` the host lacks (pure). */
export function needsScript(needs: readonly HostNeed[]): string {
  return needs.map((n) => `{ ${n.test}; } >/dev/null 2>&1 || printf '%s\\t%s\\n' ${shellQuote(n.what)} ${shellQuote(n.fix)}`).concat('true').join('\n');
}

/** The lines a {@link needsScript} printed, as `what (fix)` (pure). */
export function parseNeeds(out: string): string[] {
  return out
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => `${l.slice(0, l.indexOf('\t'))} (${l.slice(l.indexOf('\t') + 1)})`);
}

/** What of `needs` host `h` lacks, as `what (fix)`: one SSH round trip. */
export async function hostLacks(h: RemoteHost, needs: readonly HostNeed[]): Promise<string[]> {
  return parseNeeds(await h.host.sh(needsScript(needs), [], { timeoutMs: 30_000 }));
}
