import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processStartTime } from './proc.js';

/**
 * Everything migbench creates on the host, written down *before* it is created, so a
 * run killed at any instant leaves a record `migbench cleanup` can act on, and cleanup
 * only ever touches what a ledger names.
 */
export type LedgerEntry =
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
  | { kind: 'process'; pid: number; startTime: number; comm: string };

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

  /** Records the intent to create `entry`; returns its id for `released`. */
  intend(entry: LedgerEntry): number {
    const id = this.nextId++;
    this.append({ op: 'create', id, entry });
    return id;
  }

  /** Records that the resource `id` is gone. */
  released(id: number): void {
    this.append({ op: 'release', id });
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
