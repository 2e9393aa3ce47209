import { describe, expect, it } from 'vitest';
import {
  encodeOptGo,
  encodeSetMetaContext,
  OPT_SET_META_CONTEXT,
  parseBlockStatus,
  encodeRequest,
  exportSizeFromInfo,
  IHAVEOPT,
  NBDMAGIC,
  OPT_GO,
  parseGreeting,
  parseSimpleReply,
  REQUEST_MAGIC,
  SIMPLE_REPLY_MAGIC,
} from '../../../src/transfer/dirty/nbd-protocol.js';

describe('NBD framing', () => {
  it('accepts a fixed-newstyle greeting and refuses anything else', () => {
    const g = Buffer.concat([NBDMAGIC, IHAVEOPT, Buffer.from([0, 3])]);
    expect(parseGreeting(g)).toBe(3);
    expect(() => parseGreeting(Buffer.concat([NBDMAGIC, IHAVEOPT, Buffer.from([0, 0])]))).toThrow(/fixed newstyle/);
    expect(() => parseGreeting(Buffer.alloc(18))).toThrow(/greeting/);
  });

  it('encodes NBD_OPT_GO with exactly the declared length', () => {
    const b = encodeOptGo('vol');
    expect(b.subarray(0, 8).equals(IHAVEOPT)).toBe(true);
    expect(b.readUInt32BE(8)).toBe(OPT_GO);
    const len = b.readUInt32BE(12);
    expect(b.length).toBe(16 + len);
    expect(b.readUInt32BE(16)).toBe(3);
    expect(b.subarray(20, 23).toString()).toBe('vol');
    expect(b.readUInt16BE(23)).toBe(0);
  });

  it('encodes a read request and decodes a simple reply', () => {
    const r = encodeRequest(0, 42n, 2 ** 33, 4096);
    expect(r.length).toBe(28);
    expect(r.readUInt32BE(0)).toBe(REQUEST_MAGIC);
    expect(r.readBigUInt64BE(8)).toBe(42n);
    expect(r.readBigUInt64BE(16)).toBe(2n ** 33n);
    expect(r.readUInt32BE(24)).toBe(4096);
    const reply = Buffer.alloc(16);
    reply.writeUInt32BE(SIMPLE_REPLY_MAGIC, 0);
    reply.writeUInt32BE(5, 4);
    reply.writeBigUInt64BE(42n, 8);
    expect(parseSimpleReply(reply)).toEqual({ error: 5, handle: 42n });
    expect(() => parseSimpleReply(Buffer.alloc(16))).toThrow(/magic/);
  });

  it('reads the export size from NBD_INFO_EXPORT only', () => {
    const info = Buffer.alloc(12);
    info.writeUInt16BE(0, 0);
    info.writeBigUInt64BE(134217728n, 2);
    expect(exportSizeFromInfo(info)).toBe(134217728);
    info.writeUInt16BE(3, 0);
    expect(exportSizeFromInfo(info)).toBeUndefined();
  });

  it('encodes NBD_OPT_SET_META_CONTEXT with the export and each query length-prefixed', () => {
    const b = encodeSetMetaContext('map-d1', ['qemu:dirty-bitmap:d1']);
    expect(b.readUInt32BE(8)).toBe(OPT_SET_META_CONTEXT);
    expect(b.length).toBe(16 + b.readUInt32BE(12));
    expect(b.readUInt32BE(16)).toBe(6);
    expect(b.subarray(20, 26).toString()).toBe('map-d1');
    expect(b.readUInt32BE(26)).toBe(1);
    expect(b.readUInt32BE(30)).toBe(20);
    expect(b.subarray(34).toString()).toBe('qemu:dirty-bitmap:d1');
  });

  it('decodes block status descriptors', () => {
    const p = Buffer.alloc(4 + 16);
    p.writeUInt32BE(7, 0);
    p.writeUInt32BE(8192, 4);
    p.writeUInt32BE(1, 8);
    p.writeUInt32BE(4096, 12);
    p.writeUInt32BE(0, 16);
    expect(parseBlockStatus(p)).toEqual({ contextId: 7, extents: [{ length: 8192, flags: 1 }, { length: 4096, flags: 0 }] });
  });
});
