import { connect, createServer, type Server, type Socket } from 'node:net';
import { SwitchingServer } from '../switching-server.js';
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
export class TcpFrontDoor extends SwitchingServer {
  constructor(initial: Target, private readonly retryMs = 10) {
    super(initial);
  }

  protected createServer(): Server {
    return createServer((client) => this.handle(client));
  }

  private handle(client: Socket): void {
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
