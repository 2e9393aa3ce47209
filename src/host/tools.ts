/**
 * The system tools migbench drives, and the Debian package that provides each one.
 * Used by `doctor`, by the pre-flight check of `run` (exit 2 before provisioning) and to
 * turn ENOENT into a message that says what to install.
 */
export const TOOL_PACKAGES = {
  ip: 'iproute2',
  tc: 'iproute2',
  losetup: 'mount',
  blkdiscard: 'util-linux',
  blockdev: 'util-linux',
  nbdkit: 'nbdkit',
  nbdcopy: 'libnbd-bin',
  nbdfuse: 'libnbd-bin',
  nbdinfo: 'libnbd-bin',
  'qemu-storage-daemon': 'qemu-system-common',
  'qemu-img': 'qemu-utils',
  fio: 'fio',
  fusermount3: 'fuse3',
  dmsetup: 'dmsetup',
  'nbd-client': 'nbd-client',
  era_invalidate: 'thin-provisioning-tools',
  mkfs_ext4: 'e2fsprogs',
  'mkfs.ext4': 'e2fsprogs',
  mount: 'mount',
  umount: 'mount',
  nsenter: 'util-linux',
  fsfreeze: 'util-linux',
} as const;

export type Tool = keyof typeof TOOL_PACKAGES;

/** "nbdcopy (Debian package libnbd-bin)". */
export function describeTool(tool: string): string {
  const pkg = (TOOL_PACKAGES as Record<string, string>)[tool];
  return pkg ? `${tool} (Debian package ${pkg})` : tool;
}
