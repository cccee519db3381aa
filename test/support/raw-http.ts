import * as http from 'node:http';
import * as net from 'node:net';

export interface RawAnswer {
  /** The status of the answer's status line; undefined when the server closed without one. */
  readonly status: number | undefined;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Sends `requestLine` (bytes as given, latin1) with the server's Host (`127.0.0.1:<port>`) over a
 * plain TCP socket, and
 * resolves with what the server wrote before it closed the connection (`Connection: close`): a
 * client such as fetch would refuse to send most of these lines. The socket stays open for
 * writing, as a browser's does: a half-closed one would tell Node's server the client has gone.
 * A server that neither answers nor closes within `timeoutMs` gets an undefined status.
 */
export function rawRequest(
  baseUrl: string,
  requestLine: string,
  timeoutMs = 15_000,
): Promise<RawAnswer> {
  const { hostname, port, host } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        Buffer.from(`${requestLine}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, 'latin1'),
      );
    });
    socket.setTimeout(timeoutMs, () => socket.destroy());
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1];
      const headers = Object.fromEntries(
        headerLines
          .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
          .filter((match): match is RegExpExecArray => match !== null)
          .map((match) => [match[1].toLowerCase(), match[2]]),
      );
      resolve({
        status: status === undefined ? undefined : Number(status),
        headers,
        body: rest.join('\r\n\r\n'),
      });
    });
  });
}

/**
 * Request lines that took a local server down (Node's URL parser throws on their target) or that
 * Node's own parser refuses; each must get a 4xx and leave the server up.
 */
export const HOSTILE_REQUEST_LINES: readonly string[] = [
  'GET // HTTP/1.1',
  'GET /// HTTP/1.1',
  'GET //[ HTTP/1.1',
  'GET http://[ HTTP/1.1',
  'GET http://a:b/ HTTP/1.1',
  'GET //a:99999/ HTTP/1.1',
  'GET //@ HTTP/1.1',
  'GET /\\ HTTP/1.1',
  'OPTIONS * HTTP/1.1',
  'CONNECT example.com:443 HTTP/1.1',
  'GET /\x01 HTTP/1.1',
  'GET /\xff\xfe HTTP/1.1',
  'GET / HTTP/9.9',
  '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
];

/** A GET of `path` from the server at `baseUrl` with `host` as its Host header (fetch sets its own). */
export function requestWithHost(
  baseUrl: string,
  path: string,
  host: string,
): Promise<{ readonly status: number; readonly body: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname, port: Number(port), path, headers: { host }, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}
