/**
 * QMP wire format: newline-delimited JSON, one message per line (QEMU ends
 * lines with `\r\n`). Pure: no sockets, no timers — the client feeds chunks in.
 */

/** Version triple and package string from the QMP greeting. */
export interface QmpVersion {
  qemu: { major: number; minor: number; micro: number };
  package: string;
}

/** The first message a QMP server sends: `{"QMP": {...}}`. */
export interface QmpGreeting {
  QMP: { version: QmpVersion; capabilities: string[] };
}

/** An asynchronous event, e.g. `JOB_STATUS_CHANGE` or `BLOCK_JOB_COMPLETED`. */
export interface QmpEvent<D = Record<string, unknown>> {
  event: string;
  data?: D;
  timestamp: { seconds: number; microseconds: number };
}

/** The `error` member of a failed command's reply. */
export interface QmpErrorBody {
  class: string;
  desc: string;
}

/** A successful command reply. */
export interface QmpReturn {
  return: unknown;
  id?: unknown;
}

/** A failed command reply. */
export interface QmpErrorReply {
  error: QmpErrorBody;
  id?: unknown;
}

/** Every message a QMP server can send, classified by {@link decodeQmpMessage}. */
export type QmpMessage =
  | { kind: 'greeting'; message: QmpGreeting }
  | { kind: 'return'; message: QmpReturn }
  | { kind: 'error'; message: QmpErrorReply }
  | { kind: 'event'; message: QmpEvent };

/** The splitter every line-based wire format shares; QMP's framing is plain NDJSON. */
export { LineSplitter } from '../../host/lines.js';

/**
 * Serialises a command as one QMP line (with the trailing newline).
 * `args` is omitted from the wire when undefined.
 */
export function encodeQmpCommand(command: string, args: object | undefined, id: unknown): string {
  const message: Record<string, unknown> = { execute: command };
  if (args !== undefined) message['arguments'] = args;
  if (id !== undefined) message['id'] = id;
  return `${JSON.stringify(message)}\n`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Parses and classifies one line from a QMP server.
 * @throws {SyntaxError} when the line is not JSON or not a known QMP message.
 */
export function decodeQmpMessage(line: string): QmpMessage {
  const value: unknown = JSON.parse(line);
  if (isObject(value)) {
    if (isObject(value['QMP'])) return { kind: 'greeting', message: value as unknown as QmpGreeting };
    if ('return' in value) return { kind: 'return', message: value as unknown as QmpReturn };
    if (isObject(value['error'])) return { kind: 'error', message: value as unknown as QmpErrorReply };
    if (typeof value['event'] === 'string') return { kind: 'event', message: value as unknown as QmpEvent };
  }
  throw new SyntaxError(`not a QMP message: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`);
}
