import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../package-root.js';
import type { RoundCopierConfig } from './round-copier-config.js';

/**
 * The native round copier (native/round-copier.c): B's delta-stream copier in C, the same
 * NDJSON batches and replies on stdin/stdout as the Node copier (round-copier-main.ts), with
 * io_uring O_DIRECT writes instead of a libuv pool hop per block. Only the delta mode: a
 * config without `delta` (NBD reads) always runs the Node copier.
 */

/** Which copier runs a delta-mode pass: `MIGBENCH_COPIER=native|node`, default native. */
export type CopierImplementation = 'native' | 'node';

/** The binary, relative to the package (built by scripts/build-native). */
export const NATIVE_COPIER_BIN = 'dist/native/migbench-round-copier';

/** The native copier's binary is not there (not built, or its build packages are missing). */
export class NativeCopierMissingError extends Error {
  override readonly name = 'NativeCopierMissingError';
}

/** A bad MIGBENCH_COPIER value. */
export class CopierChoiceError extends Error {
  override readonly name = 'CopierChoiceError';
}

/** The copier `env` asks for (MIGBENCH_COPIER); throws on anything but native or node. */
export function copierImplementation(env: NodeJS.ProcessEnv = process.env): CopierImplementation {
  const v = env.MIGBENCH_COPIER ?? 'native';
  if (v !== 'native' && v !== 'node') throw new CopierChoiceError(`MIGBENCH_COPIER must be native or node, got ${JSON.stringify(v)}`);
  return v;
}

/** The native copier's command line for `config` (which must have `delta`). */
export function nativeCopierCommand(config: RoundCopierConfig, root = packageRoot()): { command: string; args: string[] } {
  if (!config.delta) throw new TypeError('the native round copier only reads from a delta server');
  const command = join(root, NATIVE_COPIER_BIN);
  if (!existsSync(command)) {
    throw new NativeCopierMissingError(
      `${command} is missing: it is built from native/round-copier.c by \`npm run build\` (scripts/build-native), which needs gcc, libc6-dev and liburing-dev (scripts/setup installs them); MIGBENCH_COPIER=node runs the Node copier instead`,
    );
  }
  return { command, args: [config.delta.host, String(config.delta.port), config.device] };
}
