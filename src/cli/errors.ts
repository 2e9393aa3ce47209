/**
 * An error meant for the person at the terminal: one line, and the exit code to leave with.
 * Exit 2 is bad input (nothing was provisioned); exit 1 is a run that failed.
 */
export class CLIError extends Error {
  override readonly name = 'CLIError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 2,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bad input: exits 2 before anything is provisioned; `cause` keeps the error it came from. */
export function usageError(message: string, cause?: unknown): CLIError {
  return new CLIError(message, 2, cause === undefined ? undefined : { cause });
}
