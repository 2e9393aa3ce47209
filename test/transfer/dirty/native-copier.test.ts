import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CopierChoiceError, copierImplementation, implementation, NATIVE_COPIER_BIN, NATIVE_DELTA_SERVER_BIN, nativeCopierCommand, nativeDeltaServerCommand, NativeCopierMissingError } from '../../../src/transfer/dirty/native-copier.js';

const config = { host: 'a', port: 1, exportName: '', device: '/dev/loop9', connections: 1, requestsPerConnection: 1, requestBytes: 4096, delta: { host: '10.0.0.1', port: 7000 } };

describe('native copier adapter', () => {
  it('picks native by default, node when asked, and refuses anything else', () => {
    expect(copierImplementation({})).toBe('native');
    expect(copierImplementation({ MIGBENCH_COPIER: 'node' })).toBe('node');
    expect(() => copierImplementation({ MIGBENCH_COPIER: 'c' })).toThrow(CopierChoiceError);
    expect(implementation('MIGBENCH_DELTA_SERVER', { MIGBENCH_COPIER: 'node' })).toBe('native');
    expect(() => implementation('MIGBENCH_DELTA_SERVER', { MIGBENCH_DELTA_SERVER: '' })).toThrow(/MIGBENCH_DELTA_SERVER must be native or node/);
  });

  it('says which step and packages provide a missing binary', () => {
    const root = mkdtempSync(join(tmpdir(), 'migbench-no-native-'));
    expect(() => nativeCopierCommand(config, root)).toThrow(NativeCopierMissingError);
    expect(() => nativeCopierCommand(config, root)).toThrow(/npm run build.*scripts\/build-native.*liburing-dev.*MIGBENCH_COPIER=node/);
    expect(() => nativeDeltaServerCommand({ address: '10.0.0.1', port: 7000, device: '/dev/loop8', latencyMs: 0 }, root)).toThrow(/MIGBENCH_DELTA_SERVER=node/);
  });

  it('passes the delta server and B device on its command line, and only serves the delta mode', () => {
    const { command, args } = nativeCopierCommand(config, join(import.meta.dirname, '../../..'));
    expect(command.endsWith(NATIVE_COPIER_BIN)).toBe(true);
    expect(args).toEqual(['10.0.0.1', '7000', '/dev/loop9']);
    expect(() => nativeCopierCommand({ ...config, delta: undefined })).toThrow(TypeError);
    const server = nativeDeltaServerCommand({ address: '10.0.0.1', port: 7000, device: '/dev/loop8', latencyMs: 2.5 }, join(import.meta.dirname, '../../..'));
    expect(server.command.endsWith(NATIVE_DELTA_SERVER_BIN)).toBe(true);
    expect(server.args).toEqual(['10.0.0.1', '7000', '/dev/loop8', '2.5']);
  });
});
