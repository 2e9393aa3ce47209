import { hostname } from 'node:os';
import { join } from 'node:path';
import { processStartTime } from '../lab/proc.js';
import { parseLedger, type LedgerEntry, type LedgerState } from '../lab/ledger.js';
import type { SshHost } from '../host/ssh-host.js';
import { shellQuote } from '../host/ssh-argv.js';
import type { RemoteHostSpec } from './inventory.js';

/** The directory of a host's ledgers, inside its data directory (migbench owns it). */
export function remoteLedgerDir(spec: Pick<RemoteHostSpec, 'dataDir'>): string {
  return join(spec.dataDir, '.migbench-ledgers');
}

/** The `run` line of a remote ledger also names the controller machine, so another controller's runs are left alone. */
export interface RemoteRunLine {
  op: 'run';
  runId: string;
  pid: number;
  startTime: number;
  createdAt: string;
  controller: string;
}

/**
 * A run's ledger on one real host: the same JSON-lines format as the controller's
 * (lab/ledger.ts), kept in the host's data directory. Each line is appended over SSH and
 * awaited before the resource is created, so a run killed at any instant leaves a
 * record `migbench cleanup --hosts` can act on there.
 */
export class RemoteLedger {
  private nextId = 1;
  readonly path: string;

  private constructor(readonly host: SshHost, readonly runId: string, dir: string) {
    this.path = join(dir, `${runId}.jsonl`);
  }

  /** Creates the ledger on the host, owned by this controller process. */
  static async open(host: SshHost, spec: Pick<RemoteHostSpec, 'dataDir'>, runId: string): Promise<RemoteLedger> {
    const dir = remoteLedgerDir(spec);
    await host.run('mkdir', ['-p', dir]);
    const l = new RemoteLedger(host, runId, dir);
    const run: RemoteRunLine = { op: 'run', runId, pid: process.pid, startTime: processStartTime(process.pid) ?? 0, createdAt: new Date().toISOString(), controller: hostname() };
    await l.append(run);
    return l;
  }

  private append(line: object): Promise<string> {
    return this.host.sh(`printf '%s\\n' "$1" >> ${shellQuote(this.path)}`, [JSON.stringify(line)]);
  }

  /** Records the intent to create `entry` on the host; returns its id for `released`. */
  async intend(entry: LedgerEntry): Promise<number> {
    const id = this.nextId++;
    await this.append({ op: 'create', id, entry });
    return id;
  }

  /** Records that the resource `id` is gone. */
  async released(id: number): Promise<void> {
    await this.append({ op: 'release', id });
  }

  /** Removes the ledger once everything it named is released. */
  async finished(): Promise<void> {
    const state = parseLedger(this.path, (await this.host.readFile(this.path)).toString());
    if (state.open.length === 0) await this.host.run('rm', ['-f', this.path]);
  }
}

/** A remote ledger read back: the controller's state plus which machine the controller was. */
export interface RemoteLedgerState extends LedgerState {
  controller: string;
}

/** Parses a remote ledger's text (pure). */
export function parseRemoteLedger(path: string, text: string): RemoteLedgerState {
  const state = parseLedger(path, text);
  let controller = '';
  for (const raw of text.split('\n')) {
    try {
      const line = JSON.parse(raw) as Partial<RemoteRunLine>;
      if (line.op === 'run' && typeof line.controller === 'string') controller = line.controller;
    } catch {
      // torn line: parseLedger ignores it too
    }
  }
  return { ...state, controller };
}
