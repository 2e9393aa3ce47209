import { describe, expect, it } from 'vitest';
import { decodeDeltaServerConfig } from '../../src/transfer/dirty/delta-server-config.js';
import { decodeRoundCopierBatch, decodeRoundCopierReply } from '../../src/transfer/dirty/round-copier-config.js';
import { parseNbdcopyProgress } from '../../src/transfer/nbdcopy-progress.js';

describe('child wire formats', () => {
  it("reads nbdcopy's progress lines and nothing else", () => {
    expect(parseNbdcopyProgress('37/100')).toBe(0.37);
    expect(parseNbdcopyProgress('100/100')).toBe(1);
    expect(parseNbdcopyProgress('copying 37/100 done')).toBeUndefined();
    expect(parseNbdcopyProgress('')).toBeUndefined();
  });

  it('checks round copier replies', () => {
    expect(decodeRoundCopierReply({ ok: true, bytes: 4096, ms: 1.5, copyMs: 1, flushMs: 0.25 })).toEqual({ ok: true, bytes: 4096, ms: 1.5, copyMs: 1, flushMs: 0.25 });
    // The final pass's split needs both parts: a reply without them is not one.
    expect(() => decodeRoundCopierReply({ ok: true, bytes: 4096, ms: 1.5 })).toThrow(TypeError);
    expect(decodeRoundCopierReply({ ok: false, error: 'EIO' })).toEqual({ ok: false, error: 'EIO' });
    expect(() => decodeRoundCopierReply({ ok: true, bytes: '4096', ms: 1 })).toThrow(TypeError);
    expect(() => decodeRoundCopierReply(null)).toThrow(TypeError);
  });

  it('checks delta server configs', () => {
    const c = { address: '10.213.0.1', port: 10816, device: '/dev/loop3', latencyMs: 0 };
    expect(decodeDeltaServerConfig(c)).toEqual(c);
    expect(() => decodeDeltaServerConfig({ ...c, port: '10816' })).toThrow(TypeError);
    expect(() => decodeDeltaServerConfig({ ...c, device: undefined })).toThrow(TypeError);
  });

  it('checks round copier batches', () => {
    expect(decodeRoundCopierBatch({ extents: [[0, 4096], [8192, 4096]] })).toEqual({ extents: [[0, 4096], [8192, 4096]] });
    expect(decodeRoundCopierBatch({ extents: [] })).toEqual({ extents: [] });
    expect(() => decodeRoundCopierBatch({ extents: [[0]] })).toThrow(TypeError);
    expect(() => decodeRoundCopierBatch({ extents: [[0, 1.5]] })).toThrow(TypeError);
    expect(() => decodeRoundCopierBatch({})).toThrow(TypeError);
  });
});
