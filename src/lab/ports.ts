/**
 * TCP ports of the nbdkit exports a repetition starts, per role and drain volume: the one
 * place the scheme lives (pure).
 */

/** The first NBD port (the IANA one); the plain source export outside a drain. */
export const NBD_PORT = 10809;

/**
 * The link probe's exports (bulk, short and long round-trip runs). They overlap block 0's
 * tracked and mirror-target ports, but the probe ends while the lab starts, before any
 * repetition.
 */
export const LINK_PROBE_PORTS = { bulk: NBD_PORT + 1, rtt: [NBD_PORT + 2, NBD_PORT + 3] } as const;

/** Each role's offset within a volume's block of ports (offset 1 only the link probe uses). */
const ROLE_OFFSET = {
  /** The raw source volume on A (every strategy). */
  source: 0,
  /** The source behind qemu-storage-daemon, on A (precopy, mirror, backup-restore). */
  tracked: 2,
  /** B's device, which A's mirror job writes to (mirror). */
  'mirror-target': 3,
  /** The backup file on A, restored from (backup-restore). */
  backup: 4,
  /** A's delta server, which streams dirty extents to B's round copier (precopy). */
  delta: 7,
} as const;

export type ExportRole = keyof typeof ROLE_OFFSET;
export const EXPORT_ROLES = Object.keys(ROLE_OFFSET) as ExportRole[];

/** Ports per volume; larger than every offset, so two volumes' blocks never overlap. */
export const VOLUME_STRIDE = 8;

/**
 * The port of `role`'s export. Outside a drain (`volume` undefined) it is block 0, the
 * ports a single repetition has always used; drain volume v ≥ 1 gets block v:
 * NBD_PORT + v × VOLUME_STRIDE + offset.
 */
export function exportPort(role: ExportRole, volume?: number): number {
  if (volume !== undefined && (!Number.isInteger(volume) || volume < 1)) throw new RangeError(`drain volume must be an integer ≥ 1, got ${volume}`);
  const port = NBD_PORT + (volume ?? 0) * VOLUME_STRIDE + ROLE_OFFSET[role];
  if (port > 65535) throw new RangeError(`drain volume ${volume} has no ${role} port below 65536`);
  return port;
}
