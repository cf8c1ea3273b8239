import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { hubAddress } from './NetworkLab.js';

/**
 * Makes a server that listens on the root namespace's 127.0.0.1 (a test page) reachable from the namespaces at
 * `hubAddress`, by forwarding TCP. Browsers in a namespace then load it from `http://<hub>:<port>`, which they are
 * told to treat as a secure context (getUserMedia needs one).
 */
export class HubForward {
  private constructor(
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    readonly url: string,
  ) {}

  static async to(localUrl: string): Promise<HubForward> {
    const target = new URL(localUrl);
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      const upstream = connect(Number(target.port), '127.0.0.1');
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close);
      upstream.on('error', close);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, hubAddress, resolve);
    });
    const port = (server.address() as AddressInfo).port;
    return new HubForward(server, sockets, `http://${hubAddress}:${port}${target.pathname}`);
  }

  get origin(): string {
    return new URL(this.url).origin;
  }

  async close(): Promise<void> {
    // A browser's keep-alive connections would hold `close` open, and a namespace already gone never ends them.
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
