import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP server of the local system, listening on loopback until stopped. */
export class ListeningServer {
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  /** Listens on `host`:`port` (0 picks a free port) and resolves once it accepts connections. */
  static async listen(
    server: http.Server,
    port: number,
    host = '127.0.0.1',
  ): Promise<ListeningServer> {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return new ListeningServer(server, `http://${host}:${(server.address() as AddressInfo).port}`);
  }

  /** Closes the server and every open connection; resolves when it has closed. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
