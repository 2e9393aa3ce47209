import { parse as parseYaml } from 'yaml';

/** The roles of a migration pair. */
export const ROLES = ['a', 'b'] as const;
export type Role = (typeof ROLES)[number];

/** One real host as the inventory describes it. */
export interface RemoteHostSpec {
  role: Role;
  /** `user@host` or `host` (the user then comes from ~/.ssh/config or the login name). */
  target: string;
  /** The host part of `target` (an address or a name `ssh` resolves, possibly a ~/.ssh/config alias). */
  hostname: string;
  port?: number;
  /** Private key (`ssh -i`); absent: ssh's own choice (agent, ~/.ssh/config). */
  identity?: string;
  /** Where backing files live on the host. */
  dataDir: string;
  /** The address the other host reaches this one at (data network: exports, HTTP). */
  dataAddress: string;
  /** Interface to shape with tc (`--link`); absent: the link is measured, never shaped. */
  shapeInterface?: string;
  /** Shaping the interface SSH uses is refused unless this is true. */
  shapeSshInterface: boolean;
  /** Extra `ssh -o` options (`Key=Value`), after migbench's own and before ~/.ssh/config. */
  sshOptions: string[];
}

/** Hosts A and B of a remote run. */
export interface Inventory {
  a: RemoteHostSpec;
  b: RemoteHostSpec;
  /** known_hosts file migbench keeps (StrictHostKeyChecking=accept-new); absent: one in the state dir. */
  knownHosts?: string;
}

/** The data directory used when a host does not name one. */
export const DEFAULT_DATA_DIR = '/var/tmp/migbench';

/** An inventory that cannot be used: exit 2, nothing provisioned. */
export class InventoryError extends Error {
  override readonly name = 'InventoryError';
}

const HOST_KEYS = ['ssh', 'port', 'identity', 'dataDir', 'dataAddress', 'shapeInterface', 'shapeSshInterface', 'sshOptions'] as const;
const TOP_KEYS = ['a', 'b', 'knownHosts'] as const;

/** A target `user@host` / `host` / `ssh://user@host:port` split up (pure); throws InventoryError. */
export function parseTarget(text: string, where: string): { target: string; hostname: string; port?: number } {
  let rest = text.trim();
  let port: number | undefined;
  if (rest.startsWith('ssh://')) {
    let url: URL;
    try {
      url = new URL(rest);
    } catch (err) {
      throw new InventoryError(`${where}: ${JSON.stringify(text)} is not an ssh:// URL`, { cause: err });
    }
    if (url.pathname && url.pathname !== '/') throw new InventoryError(`${where}: ${JSON.stringify(text)}: an ssh:// target has no path`);
    if (url.port) port = parsePort(url.port, where);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    rest = url.username ? `${decodeURIComponent(url.username)}@${host}` : host;
  }
  const m = /^(?:([A-Za-z0-9._-]+)@)?([A-Za-z0-9._:-]+)$/.exec(rest);
  if (!m) throw new InventoryError(`${where}: ${JSON.stringify(text)} is not user@host, host or ssh://user@host[:port]`);
  return { target: rest, hostname: m[2]!, ...(port !== undefined ? { port } : {}) };
}

function parsePort(v: unknown, where: string): number {
  const n = typeof v === 'number' ? v : /^\d+$/.test(String(v)) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InventoryError(`${where}: port ${JSON.stringify(v)} is not 1–65535`);
  return n;
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new InventoryError(`${where} must be a non-empty string`);
  return v.trim();
}

function absolute(v: unknown, where: string): string {
  const s = str(v, where);
  if (!s.startsWith('/')) throw new InventoryError(`${where} must be an absolute path (it is a path on that host), not ${JSON.stringify(s)}`);
  return s;
}

function sshOptionList(v: unknown, where: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && /^[A-Za-z]+=\S/.test(x))) throw new InventoryError(`${where} must be a list of Key=Value ssh options`);
  return v as string[];
}

/** One role's entry of a parsed inventory document (pure). */
export function hostSpec(role: Role, raw: unknown): RemoteHostSpec {
  const where = `hosts.${role}`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InventoryError(`${where} must be an object with at least "ssh"`);
  const o = raw as Record<string, unknown>;
  const unknownKeys = Object.keys(o).filter((k) => !(HOST_KEYS as readonly string[]).includes(k));
  if (unknownKeys.length) throw new InventoryError(`${where}: unknown key(s) ${unknownKeys.join(', ')} (known: ${HOST_KEYS.join(', ')})`);
  const t = parseTarget(str(o.ssh, `${where}.ssh`), `${where}.ssh`);
  if (o.port !== undefined && t.port !== undefined) throw new InventoryError(`${where}: the port is given twice (in ssh and in port)`);
  const port = o.port !== undefined ? parsePort(o.port, `${where}.port`) : t.port;
  if (o.shapeSshInterface !== undefined && typeof o.shapeSshInterface !== 'boolean') throw new InventoryError(`${where}.shapeSshInterface must be true or false`);
  return {
    role,
    target: t.target,
    hostname: t.hostname,
    ...(port !== undefined ? { port } : {}),
    ...(o.identity !== undefined ? { identity: absolute(o.identity, `${where}.identity`) } : {}),
    dataDir: o.dataDir !== undefined ? absolute(o.dataDir, `${where}.dataDir`) : DEFAULT_DATA_DIR,
    dataAddress: o.dataAddress !== undefined ? str(o.dataAddress, `${where}.dataAddress`) : t.hostname,
    ...(o.shapeInterface !== undefined ? { shapeInterface: str(o.shapeInterface, `${where}.shapeInterface`) } : {}),
    shapeSshInterface: o.shapeSshInterface === true,
    sshOptions: sshOptionList(o.sshOptions, `${where}.sshOptions`),
  };
}

/** An inventory from a parsed JSON/YAML document (pure); throws InventoryError. */
export function inventoryFromDocument(doc: unknown): Inventory {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new InventoryError('the inventory must be an object with keys "a" and "b"');
  const o = doc as Record<string, unknown>;
  const unknownKeys = Object.keys(o).filter((k) => !(TOP_KEYS as readonly string[]).includes(k));
  if (unknownKeys.length) throw new InventoryError(`unknown key(s) ${unknownKeys.join(', ')} (known: ${TOP_KEYS.join(', ')})`);
  for (const r of ROLES) if (o[r] === undefined) throw new InventoryError(`host "${r}" is missing`);
  const inv: Inventory = {
    a: hostSpec('a', o.a),
    b: hostSpec('b', o.b),
    ...(o.knownHosts !== undefined ? { knownHosts: absolute(o.knownHosts, 'knownHosts') } : {}),
  };
  if (inv.a.target === inv.b.target && inv.a.port === inv.b.port && inv.a.dataDir === inv.b.dataDir) {
    throw new InventoryError('hosts a and b are the same machine with the same dataDir: give each its own dataDir');
  }
  return inv;
}

/** Parses an inventory file's text: JSON, or YAML (a superset) for any other name (pure). */
export function parseInventory(text: string, fileName: string): Inventory {
  let doc: unknown;
  try {
    doc = fileName.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new InventoryError(`${fileName}: not valid ${fileName.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return inventoryFromDocument(doc);
  } catch (err) {
    if (err instanceof InventoryError) throw new InventoryError(`${fileName}: ${err.message}`, { cause: err });
    throw err;
  }
}

/**
 * The simple case `--host-a ssh://user@host[:port] --host-b …` (pure): data directory
 * {@link DEFAULT_DATA_DIR}, data address the SSH host name, nothing shaped.
 */
export function inventoryFromUrls(a: string, b: string): Inventory {
  return inventoryFromDocument({ a: { ssh: a }, b: { ssh: b } });
}
