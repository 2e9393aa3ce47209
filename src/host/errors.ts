import type { ExitStatus } from './host.js';
import { describeTool } from './tools.js';

/** A system tool that is not installed (on the host it was run on). */
export class MissingToolError extends Error {
  override readonly name = 'MissingToolError';
  constructor(readonly tool: string, options?: { cause?: unknown }) {
    super(`${describeTool(tool)} is not installed`, options);
  }
}

/** A system tool that ran and failed; keeps the command, its exit code and its stderr. */
export class ToolError extends Error {
  override readonly name: string = 'ToolError';
  constructor(
    readonly command: string,
    readonly stderr: string,
    options?: { cause?: unknown; exitCode?: number | undefined },
  ) {
    const detail = stderr.trim().split('\n').slice(-3).join(' | ');
    super(`${command} failed${detail ? `: ${detail}` : ''}`, options);
    this.exitCode = options?.exitCode;
  }

  readonly exitCode: number | undefined;
}

/**
 * `mount` failed because the device or the mount point is still held ("already mounted
 * or mount point busy", EBUSY): usually a moment after the previous filesystem on the
 * device was unmounted, so worth retrying, unlike other mount failures.
 */
export class MountBusyError extends ToolError {
  override readonly name = 'MountBusyError';
}

/** A process could not be started at all (no PID). */
export class ProcessStartError extends Error {
  override readonly name = 'ProcessStartError';
  constructor(readonly command: string, options?: { cause?: unknown }) {
    super(`could not start ${command}`, options);
  }
}

/** A process exited while something was still waiting on it. */
export class ProcessExitedError extends Error {
  override readonly name = 'ProcessExitedError';
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stderr: string;

  /** `what`: who exited, as the message should name it ("round copier", "nbdkit"). */
  constructor(what: string, status: ExitStatus, options?: { cause?: unknown }) {
    super(`${what} exited (${status.exitCode ?? status.signal ?? 'unknown status'}): ${status.stderr.trim()}`, options);
    this.exitCode = status.exitCode;
    this.signal = status.signal;
    this.stderr = status.stderr;
  }
}
