import { execa, type Options } from 'execa';
import { describeTool } from './tools.js';

/** A system tool that is not installed. */
export class MissingToolError extends Error {
  override readonly name = 'MissingToolError';
  constructor(readonly tool: string, options?: { cause?: unknown }) {
    super(`${describeTool(tool)} is not installed`, options);
  }
}

/** A system tool that ran and failed; keeps the command and its stderr. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  constructor(
    readonly command: string,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    const detail = stderr.trim().split('\n').slice(-3).join(' | ');
    super(`${command} failed${detail ? `: ${detail}` : ''}`, options);
  }
}

export interface RunOptions {
  /** Run inside this network namespace (`ip netns exec`). */
  netns?: string;
  input?: string;
  /** Extra environment variables (added to migbench's own). */
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** argv for running `cmd` inside a namespace, or as is. */
export function inNetns(netns: string | undefined, cmd: string, args: readonly string[]): [string, string[]] {
  return netns ? ['ip', ['netns', 'exec', netns, cmd, ...args]] : [cmd, [...args]];
}

/** Runs a tool to completion and returns its stdout; throws MissingToolError or ToolError. */
export async function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const [file, argv] = inNetns(opts.netns, cmd, args);
  const options: Options = {
    reject: false,
    stripFinalNewline: true,
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' }),
    ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
  };
  const result = await execa(file, argv, options);
  const shown = [cmd, ...args].join(' ');
  if (result.failed) {
    const stderr = String(result.stderr ?? '');
    if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' || (/No such file or directory/.test(stderr) && stderr.includes(`exec of "${cmd}"`))) {
      throw new MissingToolError(cmd, { cause: result.cause });
    }
    throw new ToolError(shown, stderr || String(result.message), { cause: result.cause ?? result });
  }
  return String(result.stdout ?? '');
}

/** True when `cmd` is on PATH. */
export async function hasTool(cmd: string): Promise<boolean> {
  const r = await execa('sh', ['-c', `command -v "$1"`, 'sh', cmd], { reject: false });
  return r.exitCode === 0;
}

/** Why one of `tools` cannot run ("nbd-client (Debian package nbd-client) is not installed"), or undefined. */
export async function missingTool(tools: readonly string[]): Promise<string | undefined> {
  for (const tool of tools) if (!(await hasTool(tool))) return `${describeTool(tool)} is not installed`;
  return undefined;
}
