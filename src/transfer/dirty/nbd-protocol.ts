/**
 * The parts of the NBD protocol (fixed newstyle handshake, NBD_OPT_GO, simple replies)
 * that a pipelined reader needs. Pure encoders and decoders; the socket lives in
 * nbd-reader.ts. Reference: the NBD protocol document (doc/proto.md in the NBD project).
 */

export const NBDMAGIC = Buffer.from('NBDMAGIC');
export const IHAVEOPT = Buffer.from('IHAVEOPT');
export const OPT_REPLY_MAGIC = 0x3e889045565a9n;
export const REQUEST_MAGIC = 0x25609513;
export const SIMPLE_REPLY_MAGIC = 0x67446698;

export const FLAG_FIXED_NEWSTYLE = 1;
export const FLAG_NO_ZEROES = 2;
export const OPT_GO = 7;
export const REP_ACK = 1;
export const REP_INFO = 3;
export const REP_FLAG_ERROR = 0x8000_0000;
export const INFO_EXPORT = 0;
export const CMD_READ = 0;
export const CMD_DISC = 2;

/** Length of the server's initial greeting (magic, IHAVEOPT, handshake flags). */
export const GREETING_BYTES = 18;
/** Length of an option reply header. */
export const OPT_REPLY_HEADER_BYTES = 20;
/** Length of a simple reply header. */
export const SIMPLE_REPLY_BYTES = 16;

/** Checks the server greeting; returns its handshake flags. */
export function parseGreeting(b: Buffer): number {
  if (b.length < GREETING_BYTES || !b.subarray(0, 8).equals(NBDMAGIC) || !b.subarray(8, 16).equals(IHAVEOPT)) {
    throw new Error('not an NBD newstyle server (bad greeting)');
  }
  const flags = b.readUInt16BE(16);
  if ((flags & FLAG_FIXED_NEWSTYLE) === 0) throw new Error('NBD server does not speak fixed newstyle');
  return flags;
}

/** Client flags answering the greeting. */
export function encodeClientFlags(serverFlags: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(FLAG_FIXED_NEWSTYLE | (serverFlags & FLAG_NO_ZEROES));
  return b;
}

/** NBD_OPT_GO for `exportName`, asking for no extra information. */
export function encodeOptGo(exportName: string): Buffer {
  const name = Buffer.from(exportName);
  const b = Buffer.alloc(16 + 4 + name.length + 2);
  IHAVEOPT.copy(b, 0);
  b.writeUInt32BE(OPT_GO, 8);
  b.writeUInt32BE(4 + name.length + 2, 12);
  b.writeUInt32BE(name.length, 16);
  name.copy(b, 20);
  b.writeUInt16BE(0, 20 + name.length);
  return b;
}

export interface OptReplyHeader {
  option: number;
  type: number;
  length: number;
}

export function parseOptReplyHeader(b: Buffer): OptReplyHeader {
  if (b.readBigUInt64BE(0) !== OPT_REPLY_MAGIC) throw new Error('bad NBD option reply magic');
  return { option: b.readUInt32BE(8), type: b.readUInt32BE(12), length: b.readUInt32BE(16) };
}

/** The export size from an NBD_REP_INFO payload of type NBD_INFO_EXPORT, else undefined. */
export function exportSizeFromInfo(payload: Buffer): number | undefined {
  if (payload.length < 12 || payload.readUInt16BE(0) !== INFO_EXPORT) return undefined;
  return Number(payload.readBigUInt64BE(2));
}

/** A transmission-phase request (28 bytes). */
export function encodeRequest(type: number, handle: bigint, offset: number, length: number): Buffer {
  const b = Buffer.alloc(28);
  b.writeUInt32BE(REQUEST_MAGIC, 0);
  b.writeUInt16BE(0, 4);
  b.writeUInt16BE(type, 6);
  b.writeBigUInt64BE(handle, 8);
  b.writeBigUInt64BE(BigInt(offset), 16);
  b.writeUInt32BE(length, 24);
  return b;
}

export interface SimpleReply {
  error: number;
  handle: bigint;
}

export function parseSimpleReply(b: Buffer): SimpleReply {
  if (b.readUInt32BE(0) !== SIMPLE_REPLY_MAGIC) throw new Error('bad NBD simple reply magic (structured replies were not negotiated)');
  return { error: b.readUInt32BE(4), handle: b.readBigUInt64BE(8) };
}

export const OPT_STRUCTURED_REPLY = 8;
export const OPT_SET_META_CONTEXT = 10;
export const REP_META_CONTEXT = 4;
export const CMD_BLOCK_STATUS = 7;
export const STRUCTURED_REPLY_MAGIC = 0x668e33ef;
export const REPLY_FLAG_DONE = 1;
export const REPLY_TYPE_NONE = 0;
export const REPLY_TYPE_BLOCK_STATUS = 5;
export const REPLY_TYPE_ERROR_BIT = 0x8000;
/** Length of a structured reply chunk header. */
export const STRUCTURED_REPLY_BYTES = 20;

/** An option with no data (NBD_OPT_STRUCTURED_REPLY). */
export function encodeOption(option: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(16 + data.length);
  IHAVEOPT.copy(b, 0);
  b.writeUInt32BE(option, 8);
  b.writeUInt32BE(data.length, 12);
  data.copy(b, 16);
  return b;
}

/** NBD_OPT_SET_META_CONTEXT for `exportName` asking for the given contexts. */
export function encodeSetMetaContext(exportName: string, contexts: readonly string[]): Buffer {
  const name = Buffer.from(exportName);
  const qs = contexts.map((c) => Buffer.from(c));
  const data = Buffer.alloc(4 + name.length + 4 + qs.reduce((s, q) => s + 4 + q.length, 0));
  let o = data.writeUInt32BE(name.length, 0);
  o += name.copy(data, o);
  o = data.writeUInt32BE(qs.length, o);
  for (const q of qs) {
    o = data.writeUInt32BE(q.length, o);
    o += q.copy(data, o);
  }
  return encodeOption(OPT_SET_META_CONTEXT, data);
}

export interface StructuredChunk {
  flags: number;
  type: number;
  handle: bigint;
  length: number;
}

export function parseStructuredChunk(b: Buffer): StructuredChunk {
  if (b.readUInt32BE(0) !== STRUCTURED_REPLY_MAGIC) throw new Error('bad NBD structured reply magic');
  return { flags: b.readUInt16BE(4), type: b.readUInt16BE(6), handle: b.readBigUInt64BE(8), length: b.readUInt32BE(16) };
}

/** A block status payload: context id, then (length, flags) descriptors. */
export function parseBlockStatus(payload: Buffer): { contextId: number; extents: { length: number; flags: number }[] } {
  const extents: { length: number; flags: number }[] = [];
  for (let o = 4; o + 8 <= payload.length; o += 8) extents.push({ length: payload.readUInt32BE(o), flags: payload.readUInt32BE(o + 4) });
  return { contextId: payload.readUInt32BE(0), extents };
}
