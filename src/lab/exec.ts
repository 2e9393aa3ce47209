import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describeTool } from '../host/tools.js';

/**
 * True when `cmd` is an executable file on this process's PATH (what `command -v` finds
 * for a program), looked up in-process: a shell per tool cost every run's start ~60 ms each.
 */
export async function hasTool(cmd: string): Promise<boolean> {
  const dirs = cmd.includes('/') ? [''] : (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return dirs.some((dir) => isExecutableFile(dir ? join(dir, cmd) : cmd));
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Why one of `tools` cannot run ("nbd-client (Debian package nbd-client) is not installed"), or undefined. */
export async function missingTool(tools: readonly string[]): Promise<string | undefined> {
  for (const tool of tools) if (!(await hasTool(tool))) return `${describeTool(tool)} is not installed`;
  return undefined;
}
