import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../package-root.js';
import type { DeltaServerConfig } from './delta-server-config.js';
import type { RoundCopierConfig } from './round-copier-config.js';

/**
 * The native delta-stream programs (src/transfer/dirty/native/*.c, built by scripts/build-native): B's round
 * copier (src/transfer/dirty/native/round-copier.c: the same NDJSON batches and replies on stdin/stdout as
 * round-copier-main.ts, io_uring O_DIRECT writes instead of a libuv pool hop per block) and
 * A's delta server (src/transfer/dirty/native/delta-server.c: the same wire and `{"listening":true}` as
 * delta-server-main.ts). The copier only has the delta mode: a config without `delta` (NBD
 * reads) always runs the Node copier.
 */

/** Which implementation runs: native (C) or node. */
export type Implementation = 'native' | 'node';

/** The environment variables that choose, each default native: B's copier and A's server. */
export const COPIER_ENV = 'MIGBENCH_COPIER';
export const DELTA_SERVER_ENV = 'MIGBENCH_DELTA_SERVER';

/** The binaries, relative to the package. */
export const NATIVE_COPIER_BIN = 'dist/native/migbench-round-copier';
export const NATIVE_DELTA_SERVER_BIN = 'dist/native/migbench-delta-server';

/** A native binary is not there (not built, or its build packages are missing). */
export class NativeCopierMissingError extends Error {
  override readonly name = 'NativeCopierMissingError';
}

/** A bad MIGBENCH_COPIER / MIGBENCH_DELTA_SERVER value. */
export class CopierChoiceError extends Error {
  override readonly name = 'CopierChoiceError';
}

/** The implementation `env[name]` asks for; throws on anything but native or node. */
export function implementation(name: typeof COPIER_ENV | typeof DELTA_SERVER_ENV, env: NodeJS.ProcessEnv = process.env): Implementation {
  const v = env[name] ?? 'native';
  if (v !== 'native' && v !== 'node') throw new CopierChoiceError(`${name} must be native or node, got ${JSON.stringify(v)}`);
  return v;
}

/** B's copier implementation (MIGBENCH_COPIER). */
export function copierImplementation(env: NodeJS.ProcessEnv = process.env): Implementation {
  return implementation(COPIER_ENV, env);
}

function binary(rel: string, env: string, root: string): string {
  const command = join(root, rel);
  if (!existsSync(command)) {
    throw new NativeCopierMissingError(
      `${command} is missing: it is built from src/transfer/dirty/native/*.c by \`npm run build\` (scripts/build-native), which needs gcc, libc6-dev and liburing-dev (scripts/setup installs them); ${env}=node runs the Node implementation instead`,
    );
  }
  return command;
}

/** The native copier's command line for `config` (which must have `delta`). */
export function nativeCopierCommand(config: RoundCopierConfig, root = packageRoot()): { command: string; args: string[] } {
  if (!config.delta) throw new TypeError('the native round copier only reads from a delta server');
  return { command: binary(NATIVE_COPIER_BIN, COPIER_ENV, root), args: [config.delta.host, String(config.delta.port), config.device] };
}

/** The native delta server's command line for `config`. */
export function nativeDeltaServerCommand(config: DeltaServerConfig, root = packageRoot()): { command: string; args: string[] } {
  return { command: binary(NATIVE_DELTA_SERVER_BIN, DELTA_SERVER_ENV, root), args: [config.address, String(config.port), config.device, String(config.latencyMs)] };
}
