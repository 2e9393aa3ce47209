import type { ExecaHost } from '../host/execa-host.js';
import type { RunOptions as HostRunOptions } from '../host/host.js';
import { LabHost } from '../host/lab-host.js';
import { localHost } from '../host/local-host.js';
import { describeTool } from '../host/tools.js';

export { MissingToolError, MountBusyError, ToolError } from '../host/errors.js';

export interface RunOptions extends HostRunOptions {
  /** Run inside this lab namespace (see LabHost); on the root host otherwise. */
  netns?: string;
}

/** The host a `netns` option names: that lab namespace, or the root host. */
export function hostFor(netns: string | undefined): ExecaHost {
  return netns ? new LabHost(netns) : localHost;
}

/**
 * Runs a tool to completion and returns its stdout; throws MissingToolError or ToolError.
 * A thin wrapper over {@link Host.run} kept for callers that name a namespace; new code
 * calls `host.run` (a lab Host, or `localHost`) directly.
 */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const { netns, ...rest } = opts;
  return hostFor(netns).run(cmd, args, rest);
}

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
