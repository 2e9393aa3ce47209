import { describe, expect, it } from 'vitest';
import { parseLoadLine } from '../../../src/workload/http/load-config.js';

describe('load process output', () => {
  it('parses every event line', () => {
    expect(parseLoadLine('ready')).toEqual({ kind: 'ready' });
    expect(parseLoadLine('ack 12 2 123456789012345')).toEqual({ kind: 'ack', id: 12, epoch: 2, tNs: 123456789012345 });
    expect(parseLoadLine('err 5')).toEqual({ kind: 'err', tNs: 5 });
    expect(parseLoadLine('timeout 6')).toEqual({ kind: 'timeout', tNs: 6 });
    expect(parseLoadLine('status 502 7')).toEqual({ kind: 'status', code: 502, tNs: 7 });
    expect(parseLoadLine('done 3 1 2')).toEqual({ kind: 'done', errors: 3, timeouts: 1, non2xx: 2 });
  });

  it('rejects anything else', () => {
    for (const l of ['', 'ack 1 2', 'ack x 2 3', 'nope 1', 'done 1 2']) expect(parseLoadLine(l), l).toBeUndefined();
  });
});
