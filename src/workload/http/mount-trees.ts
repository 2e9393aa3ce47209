import { join } from 'node:path';
import { onHost, type Host } from '../../host/host.js';
import { fileHost } from '../../host/host-files.js';
import type { ResourceScope } from '../../lab/scope.js';
import { sharedMountTree } from './filesystem.js';

/**
 * A repetition's shared mount trees (filesystem.ts `sharedMountTree`), one per host that does
 * file-system work (`fileHost`: one in the lab, the controller's; A's and B's on real
 * hosts), each made on first use under the repetition's work directory as that host names it.
 */
export class MountTrees {
  private readonly dirs = new Map<Host, string>();

  constructor(
    private readonly scope: ResourceScope,
    private readonly workDir: string,
  ) {}

  /** The mount tree of the host that does `h`'s file-system work. */
  async of(h: Host): Promise<string> {
    const files = fileHost(h);
    let dir = this.dirs.get(files);
    if (dir === undefined) {
      dir = await sharedMountTree(this.scope, onHost(files, join(this.workDir, 'mnt')), files);
      this.dirs.set(files, dir);
    }
    return dir;
  }
}
