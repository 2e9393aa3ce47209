import { connect } from 'node:net';
import type { Extent } from './extents.js';
import {
  CMD_BLOCK_STATUS,
  CMD_DISC,
  encodeClientFlags,
  encodeOptGo,
  encodeOption,
  encodeRequest,
  encodeSetMetaContext,
  GREETING_BYTES,
  OPT_REPLY_HEADER_BYTES,
  OPT_STRUCTURED_REPLY,
  parseBlockStatus,
  parseGreeting,
  parseOptReplyHeader,
  parseStructuredChunk,
  REP_ACK,
  REP_FLAG_ERROR,
  REP_INFO,
  REP_META_CONTEXT,
  REPLY_FLAG_DONE,
  REPLY_TYPE_BLOCK_STATUS,
  REPLY_TYPE_ERROR_BIT,
  exportSizeFromInfo,
  STRUCTURED_REPLY_BYTES,
} from './nbd-protocol.js';
import { ByteQueue } from './nbd-reader.js';

/**
 * Lists the extents whose status has bit 0 set in meta context `context` (for
 * `qemu:dirty-bitmap:NAME`, the dirty ones) of an NBD export on a UNIX socket, in
 * process: what `nbdinfo --map` prints, without a process start on the cutover path.
 * Adjacent extents are merged.
 */
export async function listFlaggedExtents(socketPath: string, exportName: string, context: string): Promise<Extent[]> {
  const socket = connect({ path: socketPath });
  const q = new ByteQueue();
  socket.on('data', (d: Buffer) => q.push(d));
  socket.on('error', (e) => q.fail(e));
  socket.on('close', () => q.fail(new Error('NBD connection closed')));
  const option = async (): Promise<{ type: number; payload: Buffer }> => {
    const h = parseOptReplyHeader(await q.read(OPT_REPLY_HEADER_BYTES));
    const payload = h.length ? await q.read(h.length) : Buffer.alloc(0);
    if (h.type & REP_FLAG_ERROR) throw new Error(`NBD option ${h.option} refused (0x${h.type.toString(16)}): ${payload.toString()}`);
    return { type: h.type, payload };
  };
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.write(encodeClientFlags(parseGreeting(await q.read(GREETING_BYTES))));
    socket.write(encodeOption(OPT_STRUCTURED_REPLY));
    if ((await option()).type !== REP_ACK) throw new Error('NBD server did not accept structured replies');
    socket.write(encodeSetMetaContext(exportName, [context]));
    let contextId: number | undefined;
    for (let r = await option(); r.type !== REP_ACK; r = await option()) {
      if (r.type === REP_META_CONTEXT) contextId = r.payload.readUInt32BE(0);
    }
    if (contextId === undefined) throw new Error(`NBD export "${exportName}" has no meta context ${context}`);
    socket.write(encodeOptGo(exportName));
    let size: number | undefined;
    for (let r = await option(); r.type !== REP_ACK; r = await option()) {
      if (r.type === REP_INFO) size = exportSizeFromInfo(r.payload) ?? size;
    }
    if (size === undefined) throw new Error('NBD server did not report the export size');

    const out: Extent[] = [];
    let offset = 0;
    let handle = 1n;
    while (offset < size) {
      // One request per round trip: the server answers for as much of the range as it likes.
      const length = Math.min(size - offset, 2 ** 31);
      socket.write(encodeRequest(CMD_BLOCK_STATUS, handle, offset, length));
      let covered = 0;
      for (;;) {
        const c = parseStructuredChunk(await q.read(STRUCTURED_REPLY_BYTES));
        const payload = c.length ? await q.read(c.length) : Buffer.alloc(0);
        if (c.handle !== handle) throw new Error(`NBD reply for unexpected handle ${c.handle}`);
        if (c.type & REPLY_TYPE_ERROR_BIT) throw new Error(`NBD block status failed: error ${payload.readUInt32BE(0)}`);
        if (c.type === REPLY_TYPE_BLOCK_STATUS) {
          const bs = parseBlockStatus(payload);
          if (bs.contextId !== contextId) continue;
          let at = offset;
          for (const e of bs.extents) {
            if (e.flags & 1) {
              const last = out.at(-1);
              if (last && last.offset + last.length === at) last.length += e.length;
              else out.push({ offset: at, length: e.length });
            }
            at += e.length;
          }
          covered = at - offset;
        }
        if (c.flags & REPLY_FLAG_DONE) break;
      }
      if (covered <= 0) throw new Error('NBD block status made no progress');
      offset += covered;
      handle++;
    }
    socket.write(encodeRequest(CMD_DISC, handle, 0, 0));
    return out;
  } finally {
    socket.end();
    socket.destroy();
  }
}
