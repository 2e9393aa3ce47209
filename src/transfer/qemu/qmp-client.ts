/**
 * A typed QMP client for qemu-storage-daemon (or QEMU) over a UNIX socket.
 *
 * ```ts
 * await using qmp = await QmpClient.connect('/run/qsd.qmp', { timeoutMs: 5000 });
 * const mark = qmp.mark();
 * await qmp.execute('block-stream', { 'job-id': 'hydrate', device: 'overlay' });
 * await qmp.waitForEvent('BLOCK_JOB_COMPLETED', (e) => e.data?.['device'] === 'hydrate', { since: mark });
 * ```
 */
import { EventEmitter } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  LineSplitter,
  decodeQmpMessage,
  encodeQmpCommand,
  type QmpErrorBody,
  type QmpEvent,
  type QmpGreeting,
} from './qmp-framing.js';

export type { QmpErrorBody, QmpEvent, QmpGreeting, QmpVersion } from './qmp-framing.js';

/** A command was rejected by the server: the reply's `error` member, plus the command name. */
export class QmpError extends Error {
  override readonly name = 'QmpError';
  /** The QMP error class, e.g. `GenericError`, `CommandNotFound`, `DeviceNotFound`. */
  readonly class: string;
  /** The server's human-readable description. */
  readonly desc: string;
  /** The command that failed. */
  readonly command: string;

  constructor(command: string, body: QmpErrorBody) {
    super(`QMP ${command} failed: ${body.class}: ${body.desc}`);
    this.class = body.class;
    this.desc = body.desc;
    this.command = command;
  }
}

/** The connection could not be set up, or closed while a request or wait was outstanding. */
export class QmpConnectionError extends Error {
  override readonly name = 'QmpConnectionError';
}

/** Options of {@link QmpClient.connect}. */
export interface QmpConnectOptions {
  /** Aborts connecting; the signal's reason is thrown. */
  signal?: AbortSignal;
  /** Deadline for the socket to accept and the handshake to finish. Default 10 000 ms. */
  timeoutMs?: number;
  /** Delay between connection attempts while the socket is missing or refusing. Default 20 ms. */
  intervalMs?: number;
  /** How many past events to keep for {@link QmpClient.waitForEvent} `since`. Default 1000. */
  eventHistory?: number;
}

/** Options of {@link QmpClient.waitForEvent}. */
export interface QmpWaitOptions {
  /** Stops waiting; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Rejects after this long. Default: wait until the event, the signal or the connection closing. */
  timeoutMs?: number;
  /**
   * A value from {@link QmpClient.mark}: events received after the mark are
   * matched too, so an event that arrived before this call is not missed.
   */
  since?: number;
}

/** Events a {@link QmpClient} emits. */
export interface QmpClientEvents {
  /** Every asynchronous QMP event, in arrival order. */
  event: [QmpEvent];
  /** The connection closed; the error is set when it did not close through {@link QmpClient.close}. */
  close: [Error | undefined];
}

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

const RETRYABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EAGAIN']);

function openSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/** Rejects `promise`'s waiter after `ms` or on abort; `onFail` cleans up. */
function withDeadline<T>(promise: Promise<T>, ms: number, signal: AbortSignal | undefined, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new QmpConnectionError(`timed out after ${what}`))), ms);
    const onAbort = (): void => finish(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    promise.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/**
 * One QMP session. Create it with {@link QmpClient.connect}; commands are
 * matched to replies by `id`, events are emitted as `'event'` and kept in a
 * bounded history so {@link QmpClient.waitForEvent} can look back to a {@link QmpClient.mark}.
 */
export class QmpClient extends EventEmitter<QmpClientEvents> {
  readonly #socket: Socket;
  readonly #splitter = new LineSplitter();
  readonly #pending = new Map<number, Pending>();
  readonly #history: { seq: number; event: QmpEvent }[] = [];
  readonly #historyLimit: number;
  #nextId = 1;
  #seq = 0;
  #closed = false;
  #closing = false;
  #greeting: QmpGreeting | undefined;
  readonly #greeted: Promise<QmpGreeting>;
  #onGreeting!: (greeting: QmpGreeting) => void;
  #onGreetingFailed!: (error: Error) => void;
  readonly #closedPromise: Promise<void>;

  private constructor(socket: Socket, historyLimit: number) {
    super();
    this.#socket = socket;
    this.#historyLimit = historyLimit;
    this.#greeted = new Promise<QmpGreeting>((resolve, reject) => {
      this.#onGreeting = resolve;
      this.#onGreetingFailed = reject;
    });
    this.#greeted.catch(() => {});
    let failure: Error | undefined;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error) => {
      failure ??= error;
    });
    this.#closedPromise = new Promise((resolve) => {
      socket.once('close', () => {
        this.#onClose(failure);
        resolve();
      });
    });
  }

  /**
   * Connects to a QMP UNIX socket, reads the greeting and negotiates
   * capabilities. While the socket does not exist yet or refuses connections
   * (the daemon creates it asynchronously) it retries every `intervalMs`
   * until `timeoutMs` has passed.
   * @throws {QmpConnectionError} on timeout or when the server misbehaves.
   */
  static async connect(path: string, options: QmpConnectOptions = {}): Promise<QmpClient> {
    const { signal, timeoutMs = 10_000, intervalMs = 20, eventHistory = 1000 } = options;
    const deadline = performance.now() + timeoutMs;
    let socket: Socket | undefined;
    let lastError: NodeJS.ErrnoException | undefined;
    while (socket === undefined) {
      signal?.throwIfAborted();
      try {
        socket = await openSocket(path);
      } catch (error) {
        const err = error as NodeJS.ErrnoException;
        if (!RETRYABLE.has(err.code ?? '')) {
          throw new QmpConnectionError(`cannot connect to QMP socket ${path}: ${err.message}`, { cause: err });
        }
        lastError = err;
        const left = deadline - performance.now();
        if (left <= 0) {
          throw new QmpConnectionError(
            `QMP socket ${path} not accepting connections after ${timeoutMs} ms (last error: ${err.code})`,
            { cause: lastError },
          );
        }
        try {
          await sleep(Math.min(intervalMs, left), undefined, { signal });
        } catch (error) {
          signal?.throwIfAborted(); // the caller's reason rather than a generic AbortError
          throw error;
        }
      }
    }
    const client = new QmpClient(socket, eventHistory);
    try {
      const left = Math.max(0, deadline - performance.now());
      await withDeadline(
        client.#handshake(),
        left,
        signal,
        `${timeoutMs} ms waiting for the QMP greeting and capabilities on ${path} (is another client connected?)`,
      );
      return client;
    } catch (error) {
      client.#socket.destroy();
      await client.#closedPromise;
      throw error;
    }
  }

  async #handshake(): Promise<void> {
    await this.#greeted;
    await this.execute('qmp_capabilities');
  }

  /** The server's greeting (version and capabilities). */
  get greeting(): QmpGreeting {
    if (this.#greeting === undefined) throw new QmpConnectionError('no QMP greeting received');
    return this.#greeting;
  }

  /** Whether the connection has closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs one command and resolves with its `return` value.
   * @throws {QmpError} when the server replies with an error.
   * @throws {QmpConnectionError} when the connection closes first.
   */
  execute<T = unknown>(command: string, args?: object): Promise<T> {
    if (this.#closed || this.#closing) {
      return Promise.reject(new QmpConnectionError(`QMP connection closed; cannot run ${command}`));
    }
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { command, resolve: resolve as (value: unknown) => void, reject });
      this.#socket.write(encodeQmpCommand(command, args, id));
    });
  }

  /** A position in the event stream, to pass as `since` to {@link waitForEvent}. */
  mark(): number {
    return this.#seq;
  }

  /** Events received after `since` (a {@link mark}) that are still in the history. */
  eventsSince(since: number): QmpEvent[] {
    return this.#history.filter((entry) => entry.seq > since).map((entry) => entry.event);
  }

  /**
   * Resolves with the first event named `name` that satisfies `predicate`:
   * from the history after `options.since` if given, else from now on.
   * Registering happens synchronously, so a wait started before a command
   * is issued also sees every event that command causes.
   * @throws {QmpConnectionError} when the connection closes first or the history no longer reaches `since`.
   */
  waitForEvent<D = Record<string, unknown>>(
    name: string,
    predicate: (event: QmpEvent<D>) => boolean = () => true,
    options: QmpWaitOptions = {},
  ): Promise<QmpEvent<D>> {
    const { signal, timeoutMs, since } = options;
    const matches = (event: QmpEvent): boolean => event.event === name && predicate(event as QmpEvent<D>);
    if (since !== undefined) {
      const oldest = this.#history[0]?.seq ?? this.#seq + 1;
      if (since + 1 < oldest && since < this.#seq) {
        return Promise.reject(new QmpConnectionError(`QMP event history no longer reaches mark ${since}`));
      }
      const found = this.eventsSince(since).find(matches);
      if (found !== undefined) return Promise.resolve(found as QmpEvent<D>);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.reject(new QmpConnectionError(`QMP connection closed waiting for ${name}`));
    return new Promise<QmpEvent<D>>((resolve, reject) => {
      const cleanup = (): void => {
        this.off('event', onEvent);
        this.off('close', onClose);
        signal?.removeEventListener('abort', onAbort);
        if (timer !== undefined) clearTimeout(timer);
      };
      const onEvent = (event: QmpEvent): void => {
        let matched: boolean;
        try {
          matched = matches(event);
        } catch (error) {
          cleanup();
          reject(error);
          return;
        }
        if (!matched) return;
        cleanup();
        resolve(event as QmpEvent<D>);
      };
      const onClose = (error: Error | undefined): void => {
        cleanup();
        reject(new QmpConnectionError(`QMP connection closed waiting for ${name}`, { cause: error }));
      };
      const onAbort = (): void => {
        cleanup();
        reject(signal?.reason);
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              cleanup();
              reject(new QmpConnectionError(`timed out after ${timeoutMs} ms waiting for QMP event ${name}`));
            }, timeoutMs);
      this.on('event', onEvent);
      this.on('close', onClose);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Closes the connection (the daemon keeps running). Outstanding requests reject. */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closing = true;
      this.#socket.end();
      const fallback = setTimeout(() => this.#socket.destroy(), 1000);
      await this.#closedPromise;
      clearTimeout(fallback);
    }
  }

  /** `await using` support: same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #onData(chunk: Buffer): void {
    for (const line of this.#splitter.push(chunk)) {
      let decoded;
      try {
        decoded = decodeQmpMessage(line);
      } catch (error) {
        this.#socket.destroy(new QmpConnectionError('QMP protocol error', { cause: error }));
        return;
      }
      switch (decoded.kind) {
        case 'greeting':
          this.#greeting = decoded.message;
          this.#onGreeting(decoded.message);
          break;
        case 'return':
        case 'error': {
          const { id } = decoded.message;
          // A reply without an id (a JSON parse error on our side) answers the oldest request.
          const key = typeof id === 'number' ? id : this.#pending.keys().next().value;
          const pending = key === undefined ? undefined : this.#pending.get(key);
          if (pending === undefined || key === undefined) break;
          this.#pending.delete(key);
          if (decoded.kind === 'return') pending.resolve(decoded.message.return);
          else pending.reject(new QmpError(pending.command, decoded.message.error));
          break;
        }
        case 'event':
          this.#history.push({ seq: ++this.#seq, event: decoded.message });
          if (this.#history.length > this.#historyLimit) this.#history.shift();
          this.emit('event', decoded.message);
          break;
      }
    }
  }

  #onClose(failure: Error | undefined): void {
    this.#closed = true;
    const reason = failure ?? (this.#closing ? undefined : new QmpConnectionError('QMP server closed the connection'));
    this.#onGreetingFailed(new QmpConnectionError('QMP connection closed before the greeting', { cause: reason }));
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.reject(new QmpConnectionError(`QMP connection closed while running ${pending.command}`, { cause: reason }));
    }
    this.emit('close', reason);
  }
}
