import * as net from 'node:net';

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    what: string,
    howToChange: string,
  ) {
    super(`Port ${port} (${what}) is already in use. Stop what listens there, or ${howToChange}.`);
    this.name = 'PortInUseError';
  }
}

/** Resolves when nothing listens on 127.0.0.1:`port`; rejects with a PortInUseError otherwise. */
export function assertPortFree(port: number, what: string, howToChange: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, what, howToChange) : error);
    });
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** A port the OS reports free right now (for tests and in-memory runs). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
