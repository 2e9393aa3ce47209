import type { Host } from '../../host/host.js';
import { localHost } from '../../host/local-host.js';

/**
 * ext4's EXT4_IOC_SHUTDOWN (the number XFS_IOC_GOINGDOWN has, _IOR('X', 125, __u32)) with
 * EXT4_GOING_FLAGS_NOLOGFLUSH: from this instant nothing more of the filesystem reaches the
 * device — neither dirty pages nor the running journal transaction — as when its host
 * loses power. Node has no ioctl; Python's fcntl does it.
 */
const SHUTDOWN_SCRIPT = [
  'import fcntl, os, struct, sys',
  'fd = os.open(sys.argv[1], os.O_RDONLY)',
  'fcntl.ioctl(fd, 0x8004587D, struct.pack("I", 2))',
].join('\n');

/**
 * Cuts the ext4 filesystem mounted at `mountpoint` off its device as a crash of its host
 * would (`--fault dest-crash`): what was not on the device stays lost, and the unmount that
 * follows writes nothing. A clean unmount would flush dirty pages a crash loses, and hide a
 * missing fsync.
 */
export async function shutdownFilesystem(mountpoint: string, host: Host = localHost): Promise<void> {
  await host.run('/usr/bin/python3', ['-c', SHUTDOWN_SCRIPT, mountpoint]);
}
