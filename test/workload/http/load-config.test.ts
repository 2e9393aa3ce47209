import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../../src/host/lines.js';
import { decodeLoadCommand, decodeLoadEvent, type LoadCommand, type LoadEvent } from '../../../src/workload/http/load-config.js';

/** Through the wire: encoded as the child encodes it, parsed as the controller parses it. */
const wire = (v: unknown): unknown => JSON.parse(encodeRecord(v));

describe('load process records', () => {
  it('decodes every event', () => {
    const events: LoadEvent[] = [
      { kind: 'ready' },
      { kind: 'ack', id: 12, epoch: 2, tNs: 123456789012345 },
      { kind: 'err', tNs: 5 },
      { kind: 'timeout', tNs: 6 },
      { kind: 'status', code: 502, tNs: 7 },
      { kind: 'done', errors: 3, timeouts: 1, non2xx: 2 },
    ];
    for (const e of events) expect(decodeLoadEvent(wire(e))).toEqual(e);
  });

  it('keeps only the fields of the event', () => {
    expect(decodeLoadEvent({ kind: 'err', tNs: 1, extra: 'x' })).toEqual({ kind: 'err', tNs: 1 });
  });

  it('rejects anything else', () => {
    // NaN goes over the wire as null: an ack whose body did not parse.
    const bad = [null, 'ready', {}, { kind: 'nope' }, { kind: 'ack', id: 1, epoch: 2 }, wire({ kind: 'ack', id: NaN, epoch: 2, tNs: 3 }), { kind: 'err', tNs: '5' }, { kind: 'done', errors: 1, timeouts: 2 }, { kind: 'toString' }];
    for (const v of bad) expect(() => decodeLoadEvent(v), JSON.stringify(v)).toThrow(TypeError);
  });

  it('decodes the commands, and rejects anything else', () => {
    const commands: LoadCommand[] = [{ kind: 'target', target: { host: '10.213.0.2', port: 8081 } }, { kind: 'stop' }];
    for (const c of commands) expect(decodeLoadCommand(wire(c))).toEqual(c);
    for (const v of [null, { kind: 'target' }, { kind: 'target', target: { host: 'h', port: '80' } }, { kind: 'target', target: { port: 80 } }, { kind: 'go' }]) {
      expect(() => decodeLoadCommand(v), JSON.stringify(v)).toThrow(TypeError);
    }
  });
});
