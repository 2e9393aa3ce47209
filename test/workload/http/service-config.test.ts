import { describe, expect, it } from 'vitest';
import { decodeServiceCommand, decodeServiceEvent } from '../../../src/workload/http/service-config.js';

describe('service process records', () => {
  it('decodes its events and its command', () => {
    expect(decodeServiceEvent({ kind: 'started' })).toEqual({ kind: 'started' });
    expect(decodeServiceEvent({ kind: 'listening' })).toEqual({ kind: 'listening' });
    expect(decodeServiceCommand({ kind: 'open' })).toEqual({ kind: 'open' });
  });

  it('rejects anything else', () => {
    for (const v of [null, 'started', {}, { kind: 'open' }, { kind: 'ready' }]) expect(() => decodeServiceEvent(v), JSON.stringify(v)).toThrow(TypeError);
    for (const v of [null, 'open', { kind: 'started' }]) expect(() => decodeServiceCommand(v), JSON.stringify(v)).toThrow(TypeError);
  });
});
