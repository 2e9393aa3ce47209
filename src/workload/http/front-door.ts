import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SwitchingServer } from '../switching-server.js';

/** Where the front door sends requests. */
export interface Target {
  host: string;
  port: number;
}

/** Errors that mean the request never reached a service: safe to send again. */
export const NOT_SENT: ReadonlySet<string> = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * The client-side front door: an HTTP proxy that follows the service, request by
 * request. Each request goes to the *current* target over a keep-alive connection.
 * While the target refuses connections (the service is down between kill and boot),
 * the request is held and sent again every `retryMs`, the way a load balancer holds
 * requests across a failover. A request that may have reached a service that then went
 * away is answered 502: it cannot be replayed safely, and the client must see it.
 * Switching the target sends the next requests to the new service; requests in flight
 * finish where they are.
 */
export class FrontDoor extends SwitchingServer {
  private readonly agents = new Map<string, Agent>();

  constructor(initial: Target, private readonly retryMs = 10) {
    super(initial);
  }

  protected createServer(): Server {
    return createServer({ keepAlive: true }, (req, res) => this.handle(req, res));
  }

  override async close(): Promise<void> {
    for (const a of this.agents.values()) a.destroy();
    await super.close();
  }

  private agent(t: Target): Agent {
    const key = `${t.host}:${t.port}`;
    let a = this.agents.get(key);
    if (!a) this.agents.set(key, (a = new Agent({ keepAlive: true })));
    return a;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.forward(req, Buffer.concat(chunks), res));
  }

  private forward(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    if (res.destroyed || res.writableEnded) return; // the client gave up
    const t = this.target;
    const up = request(
      { host: t.host, port: t.port, method: req.method, path: req.url, headers: { 'content-length': String(body.length) }, agent: this.agent(t) },
      (ures) => {
        res.writeHead(ures.statusCode ?? 502, { 'content-type': ures.headers['content-type'] ?? 'text/plain' });
        ures.pipe(res);
        ures.on('error', () => res.destroy());
      },
    );
    up.on('error', (err: NodeJS.ErrnoException) => {
      if (res.headersSent) return res.destroy();
      if (NOT_SENT.has(err.code ?? '')) {
        setTimeout(() => this.forward(req, body, res), this.retryMs);
        return;
      }
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`front door: ${err.code ?? err.message}\n`);
    });
    up.end(body);
  }
}
