import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processStartTime } from './proc.js';

/**
 * Everything migbench creates on the host, written down *before* it is created, so a
 * run killed at any instant leaves a record `migbench cleanup` can act on, and cleanup
 * only ever touches what a ledger names.
 */
export type LedgerEntry = (
  | { kind: 'netns'; name: string }
  /** A loop device: its backing path and the device reserved for it before the attach. */
  | { kind: 'loop'; backingFile: string; device?: string }
  | { kind: 'file'; path: string }
  | { kind: 'dir'; path: string }
  | { kind: 'mount'; path: string }
  /** A kernel NBD device migbench connected; identified by device and size while connected. */
  | { kind: 'nbd'; device: string; sizeBytes: number }
  /** A device-mapper device; migbench's names start with its lab prefix. */
  | { kind: 'dm'; name: string }
  /** A cgroup migbench created for a host's CPU accounting (cpu-cgroup.ts), by its path. */
  | { kind: 'cgroup'; path: string }
  /** A root qdisc migbench put on a real host's interface (`shapeInterface`); released by deleting it. */
  | { kind: 'qdisc'; dev: string }
  | { kind: 'process'; pid: number; startTime: number; comm: string }
) & {
  /**
   * The real host (its Host name) the resource lives on; absent: this machine (or a lab
   * namespace of it). The controller's cleanup leaves such entries to `cleanup --hosts`,
   * which reads the copy in that host's own ledger (see {@link Ledger.mirror}).
   */
  host?: string;
};

/** Where a host's own ledger is kept in step with the controller's (remote/remote-ledger.ts). */
export interface MirrorLedger {
  intend(entry: LedgerEntry): Promise<number>;
  released(id: number): Promise<void>;
}

type LedgerLine =
  | { op: 'run'; runId: string; pid: number; startTime: number; createdAt: string }
  | { op: 'create'; id: number; entry: LedgerEntry }
  | { op: 'release'; id: number };

/** Where ledgers live: `$MIGBENCH_STATE_DIR` or `/run/migbench`. */
export function stateDir(): string {
  return process.env.MIGBENCH_STATE_DIR ?? '/run/migbench';
}

/** An append-only JSON-lines ledger for one run. */
export class Ledger {
  private nextId = 1;
  readonly path: string;

  constructor(readonly runId: string, dir = stateDir()) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, `${runId}.jsonl`);
    this.append({
      op: 'run',
      runId,
      pid: process.pid,
      startTime: processStartTime(process.pid) ?? 0,
      createdAt: new Date().toISOString(),
    });
  }

  private append(line: LedgerLine): void {
    // Synchronous on purpose: the record must be on disk before the resource exists.
    appendFileSync(this.path, `${JSON.stringify(line)}\n`);
  }

  private readonly mirrors = new Map<string, MirrorLedger>();
  /** Controller id → the host's ledger and the id there (resolved once appended). */
  private readonly mirrored = new Map<number, Promise<{ to: MirrorLedger; id: number }>>();
  private readonly inFlight = new Set<Promise<unknown>>();

  /** Copies every entry whose `host` is `hostName` into that host's own ledger too. */
  mirror(hostName: string, to: MirrorLedger): void {
    this.mirrors.set(hostName, to);
  }

  /** Tracks a remote append so {@link synced} can await it. */
  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const drop = (): void => void this.inFlight.delete(p);
    p.then(drop, drop);
    return p;
  }

  /** Records the intent to create `entry`; returns its id for `released`. */
  intend(entry: LedgerEntry): number {
    const id = this.nextId++;
    this.append({ op: 'create', id, entry });
    const to = entry.host !== undefined ? this.mirrors.get(entry.host) : undefined;
    if (to) this.mirrored.set(id, this.track(to.intend(entry).then((remoteId) => ({ to, id: remoteId }))));
    return id;
  }

  /**
   * Resolves once every entry recorded so far is also in its host's ledger (rejects if an
   * append failed): a scope awaits it before it creates the resource.
   */
  async synced(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** Records that the resource `id` is gone (in the host's ledger too, awaited by {@link synced}). */
  released(id: number): void {
    this.append({ op: 'release', id });
    const m = this.mirrored.get(id);
    if (!m) return;
    this.mirrored.delete(id);
    // A failed release append leaves the entry open there: cleanup --hosts finds the resource gone.
    void this.track(m.then(({ to, id: remoteId }) => to.released(remoteId))).catch(() => undefined);
  }

  /** Removes the ledger once everything it named is released. */
  finished(): void {
    const state = parseLedger(this.path, readFileSync(this.path, 'utf8'));
    if (state.open.length === 0) rmSync(this.path, { force: true });
  }
}

/** A ledger read back from disk: who owned it and what it still holds. */
export interface LedgerState {
  path: string;
  runId: string;
  ownerPid: number;
  ownerStartTime: number;
  /** Unreleased entries, in creation order. */
  open: LedgerEntry[];
}

/** Parses a ledger file's text (pure). Malformed trailing lines (a torn write) are ignored. */
export function parseLedger(path: string, text: string): LedgerState {
  const state: LedgerState = { path, runId: '', ownerPid: 0, ownerStartTime: 0, open: [] };
  const open = new Map<number, LedgerEntry>();
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let line: LedgerLine;
    try {
      line = JSON.parse(raw) as LedgerLine;
    } catch {
      continue;
    }
    if (line.op === 'run') {
      state.runId = line.runId;
      state.ownerPid = line.pid;
      state.ownerStartTime = line.startTime;
    } else if (line.op === 'create') open.set(line.id, line.entry);
    else if (line.op === 'release') open.delete(line.id);
  }
  state.open = [...open.values()];
  return state;
}

/** All ledgers in the state directory. */
export function readLedgers(dir = stateDir()): LedgerState[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return [];
  }
  return names.map((n) => parseLedger(join(dir, n), readFileSync(join(dir, n), 'utf8')));
}
