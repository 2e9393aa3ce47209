import { ExecaHost } from './execa-host.js';

/**
 * The controller's own machine, in its root namespaces: for what migbench does outside
 * any lab host (losetup, dmsetup, mount, `ip netns add`, nbdfuse).
 */
export class LocalHost extends ExecaHost {
  readonly name = 'local';

  argv(cmd: string, args: readonly string[]): [string, string[]] {
    return [cmd, [...args]];
  }
}

/** The root host: the one LocalHost. */
export const localHost = new LocalHost();
