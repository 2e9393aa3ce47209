import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { NOT_SENT, type Target } from '../http/front-door.js';

/**
 * The HTTP workload's front door one layer down, for a protocol it cannot parse
 * (PostgreSQL's): a TCP proxy that sends each *new* connection to the current target. While
 * the target refuses connections (the server is down between kill and boot), the client's
 * connection is held and the target tried again every `retryMs` — the same errors the
 * HTTP front door retries ({@link NOT_SENT}), the way a load balancer holds clients across
 * a failover. Connections already made stay where they are when the target is switched;
 * one whose server goes away is closed, and the client sees it.
 */
export class TcpFrontDoor {
  private target: Target;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(initial: Target, private readonly retryMs = 10) {
    this.target = initial;
    this.server = createServer((client) => this.handle(client));
  }

  /** Listens on 127.0.0.1 on a free port; resolves with the port. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  switchTo(t: Target): void {
    this.target = t;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
  }

  private handle(client: Socket): void {
    this.track(client);
    client.pause();
    client.on('error', () => client.destroy());
    const attempt = (): void => {
      if (client.destroyed) return;
      const t = this.target;
      const up = connect({ host: t.host, port: t.port });
      let connected = false;
      up.once('connect', () => {
        connected = true;
        this.track(up);
        up.on('close', () => client.destroy());
        client.on('close', () => up.destroy());
        client.pipe(up);
        up.pipe(client);
        client.resume();
      });
      up.on('error', (err: NodeJS.ErrnoException) => {
        up.destroy();
        if (!connected && NOT_SENT.has(err.code ?? '')) setTimeout(attempt, this.retryMs);
        else client.destroy();
      });
    };
    attempt();
  }
}
