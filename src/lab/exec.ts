import { localHost } from '../host/local-host.js';
import { describeTool } from '../host/tools.js';

// Commands run through a Host (src/host/host.ts): a lab host, or `localHost` for the root namespace.

/** True when `cmd` is on the root host's PATH. */
export async function hasTool(cmd: string): Promise<boolean> {
  return localHost.run('sh', ['-c', 'command -v "$1"', 'sh', cmd]).then(
    () => true,
    () => false,
  );
}

/** Why one of `tools` cannot run ("nbd-client (Debian package nbd-client) is not installed"), or undefined. */
export async function missingTool(tools: readonly string[]): Promise<string | undefined> {
  for (const tool of tools) if (!(await hasTool(tool))) return `${describeTool(tool)} is not installed`;
  return undefined;
}
