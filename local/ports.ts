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

/**
 * The ports a browser never connects to, whatever the host: the Fetch standard's "bad ports"
 * (https://fetch.spec.whatwg.org/#port-blocking; Chromium, Firefox and Safari block the same list),
 * those above 1023, which need no privilege. A server that answers any Host and checks no
 * credentials (DynamoDB Local) is out of every web page's reach on one of them, under a rebound
 * name or not, where an unlisted port would only have to be found.
 */
export const BROWSER_BLOCKED_PORTS: readonly number[] = [
  1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669,
  6679, 6697, 10080,
];

/**
 * A free port among BROWSER_BLOCKED_PORTS, tried in random order (two systems starting at once
 * rarely try the same one), except those in `skip`; undefined when none is free.
 */
export async function freeBrowserBlockedPort(
  skip: readonly number[] = [],
): Promise<number | undefined> {
  const candidates = BROWSER_BLOCKED_PORTS.filter((port) => !skip.includes(port))
    .map((port) => ({ port, order: Math.random() }))
    .sort((a, b) => a.order - b.order);
  for (const { port } of candidates) {
    try {
      await assertPortFree(port, 'probe', 'another');
      return port;
    } catch {
      // Taken: the next one.
    }
  }
  return undefined;
}
