import { join } from 'node:path';
import type { Host } from '../../lab/hosts.js';
import type { ResourceScope } from '../../lab/scope.js';
import type { AppWorkload } from '../../strategy/context.js';
import { DATA_FILE, mountFilesystem, type MountedFs } from './filesystem.js';
import type { HttpLoad, LoadTotals } from './load.js';
import { HttpService } from './service.js';

export const SOURCE_SERVICE_EPOCH = 1;
export const DEST_SERVICE_EPOCH = 2;
/** Service port on each host; a drain volume adds its number. */
export const HTTP_PORT = 8080;

/**
 * The HTTP workload as the primitives see it. *kill* SIGKILLs the service on A (its
 * filesystem stays as a crash left it: mounted, journal not checkpointed). *boot* mounts
 * the destination's filesystem on B (ext4 replays the journal), starts the service there
 * and points the front door at it; B is up at its first successful response.
 */
export class HttpWorkload implements AppWorkload {
  dest: HttpService | undefined;
  destFs: MountedFs | undefined;

  constructor(
    private readonly scope: ResourceScope,
    private readonly b: Host,
    private readonly port: number,
    /** Where the destination's filesystem is mounted (under the repetition's shared mount tree). */
    private readonly mountDir: string,
    readonly load: HttpLoad,
    readonly source: HttpService,
    readonly sourceFs: MountedFs,
  ) {}

  kill(): Promise<void> {
    return this.source.kill();
  }

  async boot(device: string, signal: AbortSignal): Promise<number> {
    const since = Number(process.hrtime.bigint());
    const mountpoint = join(this.mountDir, 'b');
    const [fs, open] = await Promise.all([
      mountFilesystem(this.scope, device, mountpoint),
      HttpService.spawn(this.scope, this.b.netns, { dataFile: join(mountpoint, DATA_FILE), host: this.b.address, port: this.port, epoch: DEST_SERVICE_EPOCH }, signal),
    ]);
    this.destFs = fs;
    this.dest = await open();
    this.load.switchTo({ host: this.b.address, port: this.port });
    return this.load.waitAck(DEST_SERVICE_EPOCH, since, signal);
  }

  waitDestAck(ns: number, signal: AbortSignal): Promise<number> {
    return this.load.waitAck(DEST_SERVICE_EPOCH, ns, signal);
  }

  /**
   * End of the run: stop the clients first (so no response is cut off by a service
   * stopping), then both services, then unmount both filesystems cleanly.
   */
  async stopAll(): Promise<LoadTotals> {
    const totals = await this.load.stop();
    await this.dest?.stop();
    await this.source.stop();
    await this.destFs?.unmount();
    await this.sourceFs.unmount();
    return totals;
  }
}
