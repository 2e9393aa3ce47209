import type { Server } from 'node:http';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import type { Target } from './http/front-door.js';

/**
 * A local server that forwards its clients to a target the controller can switch: the part
 * the HTTP front door and the TCP front door share (listening on a free port, the current
 * target, every socket destroyed on close). How a client is forwarded is the subclass's.
 */
export abstract class SwitchingServer {
  protected target: Target;
  private readonly server: Server | NetServer;
  private readonly sockets = new Set<Socket>();

  protected constructor(initial: Target) {
    this.target = initial;
    this.server = this.createServer();
    this.server.on('connection', (s: Socket) => this.track(s));
  }

  /** The server, its handlers bound; called once, from the constructor. */
  protected abstract createServer(): Server | NetServer;

  /** Destroys `s` on close (and forgets it once it closes by itself). */
  protected track(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
  }

  /** Listens on 127.0.0.1 on a free port; resolves with the port. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Sends what comes next to `t`. */
  switchTo(t: Target): void {
    this.target = t;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
