import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COPIER_ENV, DELTA_SERVER_ENV, NATIVE_COPIER_BIN, NATIVE_DELTA_SERVER_BIN } from '../transfer/dirty/native-copier.js';
import type { Check } from '../lab/doctor.js';
import { REQUIRED_TOOLS } from '../lab/doctor.js';
import type { ResourceScope } from '../lab/scope.js';
import { TOOL_PACKAGES } from '../host/tools.js';
import { packageRoot } from '../package-root.js';
import type { RemoteHost } from './remote-hosts.js';
import { httpCheck, postgresCheck } from './remote-workload.js';

/** Tools checked on every host: what a run needs, then what strategies and workloads use. */
export const REMOTE_TOOLS = [...REQUIRED_TOOLS, 'fio', 'qemu-storage-daemon', 'qemu-img', 'nbdfuse', 'nbdinfo', 'fusermount3', 'blkdiscard', 'dmsetup', 'nbd-client', 'era_invalidate', 'mkfs.ext4'] as const;
/** Tools a run can do without (a backend or workload is then unavailable). */
const OPTIONAL_TOOLS = new Set<string>(['dmsetup', 'nbd-client', 'era_invalidate', 'mkfs.ext4']);
/** Free space below this in the data directory fails the check (two volumes of 256 MiB and headroom). */
export const MIN_FREE_BYTES = 1024 ** 3;
/** Port of the data-path probe (nbdkit on A, nbdinfo from B). */
export const DATA_PROBE_PORT = 10899;

/**
 * One shell script per host, one line per fact (`key<TAB>value`): a check costs one SSH
 * round trip per host, not one per fact.
 */
export function factsScript(dataDir: string, tools: readonly string[], nodePath: string, root: string): string {
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    'p() { printf "%s\\t%s\\n" "$1" "$2"; }',
    'p uid "$(id -u)"',
    'p sudo "$(sudo -n true 2>/dev/null && echo yes || echo no)"',
    'p kernel "$(uname -r)"',
    'p loop "$(test -e /dev/loop-control && echo yes || echo no)"',
    'p fuse "$(test -e /dev/fuse && echo yes || echo no)"',
    'p nbd "$( (test -d /sys/module/nbd || modinfo nbd >/dev/null 2>&1) && echo yes || echo no)"',
    'p dm "$(command -v dmsetup >/dev/null && dmsetup targets 2>/dev/null | awk \'{print $1}\' | tr \'\\n\' , || echo none)"',
    'p dm_modules "$(for m in dm-clone dm-era; do modinfo $m >/dev/null 2>&1 && printf %s, $m; done)"',
    `for t in ${tools.map(q).join(' ')}; do p "tool:$t" "$(command -v "$t" || true)"; done`,
    'p v:nbdkit "$(nbdkit --version 2>/dev/null | head -1)"',
    'p v:nbdcopy "$(nbdcopy --version 2>/dev/null | head -1)"',
    'p v:qemu "$(qemu-img --version 2>/dev/null | head -1)"',
    'p v:fio "$(fio --version 2>/dev/null | head -1)"',
    `p node "$(${q(nodePath)} --version 2>/dev/null || true)"`,
    `p migbench "$(sed -n 's/^ *"version": *"\\(.*\\)".*/\\1/p' ${q(join(root, 'package.json'))} 2>/dev/null | head -1)"`,
    `p dist "$(test -f ${q(join(root, 'dist/src/cli/main.js'))} && echo yes || echo no)"`,
    // The C copier and delta server: present and loadable (liburing2 for the copier).
    `p native "$(for b in ${[NATIVE_COPIER_BIN, NATIVE_DELTA_SERVER_BIN].map((b) => q(join(root, b))).join(' ')}; do if [ ! -x "$b" ]; then printf '%s missing; ' "$b"; elif ldd "$b" 2>/dev/null | grep -q 'not found'; then printf '%s: %s; ' "$b" "$(ldd "$b" | grep 'not found' | awk '{print $1}' | tr '\\n' ' ')"; fi; done; echo ok)"`,
    `d=${q(dataDir)}; while [ ! -d "$d" ]; do d=$(dirname "$d"); done`,
    'p free "$(df -P -B1 "$d" | awk \'NR==2{print $4}\')"',
    'p free_at "$d"',
  ].join('\n');
}

/** Parses the facts script's output (pure). */
export function parseFacts(text: string): Map<string, string> {
  return new Map(text.split('\n').filter((l) => l.includes('\t')).map((l) => [l.slice(0, l.indexOf('\t')), l.slice(l.indexOf('\t') + 1)] as [string, string]));
}

/** The controller's runtime: what every host must match (pure but for reading package.json). */
export function controllerRuntime(): { node: string; migbench: string; root: string } {
  const root = packageRoot();
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { node: process.version, migbench: version, root };
}

/** The checks for one host from its facts (pure). */
export function hostChecks(h: RemoteHost, f: ReadonlyMap<string, string>, runtime: { node: string; migbench: string; root: string }): Check[] {
  const at = (name: string): string => `${h.spec.role}: ${name}`;
  const yes = (k: string): boolean => f.get(k) === 'yes';
  const checks: Check[] = [];
  const root = f.get('uid') === '0';
  checks.push({ name: at('root'), ok: root, detail: root ? 'logged in as root' : yes('sudo') ? 'not root; passwordless sudo works, but migbench runs commands as the SSH user: log in as root' : 'log in as root (loop devices, tc, device-mapper need it)' });
  checks.push({ name: at('loop devices'), ok: yes('loop'), detail: yes('loop') ? '/dev/loop-control present' : 'modprobe loop' });
  checks.push({ name: at('FUSE'), ok: yes('fuse'), detail: yes('fuse') ? '/dev/fuse present' : 'modprobe fuse; install fuse3' });
  checks.push({ name: at('NBD (kernel)'), ok: yes('nbd'), optional: true, detail: yes('nbd') ? 'nbd module available' : 'modprobe nbd (dm-clone backend only)' });
  const targets = (f.get('dm') ?? '').split(',').filter(Boolean);
  const modules = (f.get('dm_modules') ?? '').split(',').filter(Boolean);
  const dmOk = ['clone', 'era'].every((t) => targets.includes(t) || modules.includes(`dm-${t}`));
  checks.push({ name: at('device-mapper clone/era'), ok: dmOk, optional: true, detail: dmOk ? `targets ${targets.join(' ')}; modules ${modules.join(' ') || '-'}` : 'no dm-clone/dm-era: the qemu backend and qemu tracking are used' });
  const missing: string[] = [];
  for (const t of REMOTE_TOOLS) {
    const path = f.get(`tool:${t}`);
    if (path) continue;
    if (!OPTIONAL_TOOLS.has(t)) missing.push(t);
    checks.push({ name: at(t), ok: false, optional: OPTIONAL_TOOLS.has(t), detail: `missing: apt-get install ${(TOOL_PACKAGES as Record<string, string>)[t] ?? t}` });
  }
  if (!missing.length) checks.push({ name: at('tools'), ok: true, detail: ['nbdkit', 'nbdcopy', 'qemu', 'fio'].map((k) => f.get(`v:${k}`)).filter(Boolean).join('; ') });
  const node = f.get('node') ?? '';
  checks.push({ name: at('node'), ok: node === runtime.node, detail: node === runtime.node ? `${node} at ${process.execPath}` : `${process.execPath} is ${node || 'missing'}, the controller runs ${runtime.node}: install the same Node at the same path (docs/remote-hosts.md)` });
  const mb = f.get('migbench') ?? '';
  const distOk = yes('dist');
  checks.push({ name: at('migbench runtime'), ok: mb === runtime.migbench && distOk, detail: mb === runtime.migbench && distOk ? `migbench ${mb} at ${runtime.root}` : `${runtime.root}: ${mb ? `migbench ${mb}` : 'no migbench'}${distOk ? '' : ', no dist/'}, the controller is ${runtime.migbench}: copy the runtime (docs/remote-hosts.md)` });
  const native = f.get('native') ?? '';
  checks.push({
    name: at('native copier'),
    ok: native === 'ok',
    detail: native === 'ok' ? 'dist/native programs present and loadable' : `${native.replace(/ok$/, '').trim() || 'not checked'}: copy the built runtime (dist/native) and apt-get install liburing2, or run with ${COPIER_ENV}=node ${DELTA_SERVER_ENV}=node`,
  });
  const free = Number(f.get('free') ?? 0);
  checks.push({ name: at('free space'), ok: free >= MIN_FREE_BYTES, detail: `${(free / 1024 ** 3).toFixed(1)} GiB free at ${f.get('free_at') ?? '?'} (data dir ${h.spec.dataDir})${free >= MIN_FREE_BYTES ? '' : ': need ≥ 1 GiB'}` });
  return checks;
}

/** Every check on both hosts, then the data path A←B. */
export async function remoteChecks(scope: ResourceScope, hosts: { a: RemoteHost; b: RemoteHost }): Promise<Check[]> {
  const runtime = controllerRuntime();
  const checks: Check[] = [];
  for (const h of [hosts.a, hosts.b]) {
    let facts: Map<string, string>;
    try {
      facts = parseFacts(await h.host.sh(factsScript(h.spec.dataDir, REMOTE_TOOLS, process.execPath, runtime.root), [], { timeoutMs: 60_000 }));
    } catch (err) {
      checks.push({ name: `${h.spec.role}: ssh`, ok: false, detail: `${h.spec.target}: ${(err as Error).message.split('\n')[0]}` });
      continue;
    }
    checks.push({ name: `${h.spec.role}: ssh`, ok: true, detail: `${h.spec.target}, kernel ${facts.get('kernel') ?? '?'}` });
    checks.push(...hostChecks(h, facts, runtime));
    checks.push(await httpCheck(h), await postgresCheck(h));
  }
  checks.push(await dataPathCheck(scope, hosts));
  return checks;
}

/** B reaches A's data address: nbdkit serving 1 MiB there on A, nbdinfo from B reading its size. */
async function dataPathCheck(scope: ResourceScope, hosts: { a: RemoteHost; b: RemoteHost }): Promise<Check> {
  const name = `b → a data address ${hosts.a.spec.dataAddress}`;
  const server = hosts.a.host.start(scope, 'nbdkit', ['-f', '--exit-with-parent', '-i', hosts.a.spec.dataAddress, '-p', String(DATA_PROBE_PORT), 'null', 'size=1M'], { stopGraceMs: 2000 });
  try {
    const uri = `nbd://${hosts.a.spec.dataAddress.includes(':') ? `[${hosts.a.spec.dataAddress}]` : hosts.a.spec.dataAddress}:${DATA_PROBE_PORT}`;
    let last: Error | undefined;
    for (let i = 0; i < 20 && !server.hasExited(); i++) {
      try {
        const size = (await hosts.b.host.run('nbdinfo', ['--size', uri], { timeoutMs: 10_000 })).trim();
        if (size === String(1024 * 1024)) return { name, ok: true, detail: `nbdinfo ${uri} from b: ok` };
      } catch (err) {
        last = err as Error;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const why = server.hasExited() ? `nbdkit on a exited: ${server.stderrTail().trim()}` : (last?.message.split('\n')[0] ?? 'no answer');
    return { name, ok: false, detail: `${why} — check dataAddress and the firewall (TCP ${DATA_PROBE_PORT} and the export ports)` };
  } finally {
    await server.stop();
  }
}
