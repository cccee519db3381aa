import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { visibleText } from '@monitored/cloudwatch-model';

/** A request's target as sent: its path (percent-encoding kept) and its query, without `?`. */
export interface RequestTarget {
  readonly path: string;
  readonly query: string;
}

/** Headers and body a server gives with an error status it answers itself. */
export interface ErrorAnswer {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * What a stopping server tells a client to wait before it tries again (`Retry-After`, seconds):
 * about the time `npm start` takes to be ready again.
 */
export const RETRY_AFTER_SECONDS = 5;

/** The headers of every answer a stopping server gives: retry later, on a new connection. */
export const STOPPING_HEADERS: Readonly<Record<string, string>> = {
  'retry-after': String(RETRY_AFTER_SECONDS),
  connection: 'close',
};

export interface GuardedServerOptions {
  /**
   * Handles one request; it may throw or reject, and the request still gets an answer. `stopping`
   * is aborted once the server stops: a request under way that fails because of it is answered
   * 503 with STOPPING_HEADERS, as every request that arrives from then on is.
   */
  handle(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    target: RequestTarget,
    stopping: AbortSignal,
  ): void | Promise<void>;
  /**
   * This server's answer for an error status (400, 408, 431, 500, 503, and its `wrongHostStatus`),
   * in its own shape; `problem` says what was wrong when the server knows more than the status.
   */
  errorAnswer(status: number, problem?: string): ErrorAnswer;
  /**
   * The status of a request for a name this server did not print: 421 Misdirected Request, or
   * what the AWS service it stands in for answers (403). @default 421
   */
  readonly wrongHostStatus?: number;
  /** Told of each failure of a request's handling. @default one line on stderr */
  onError?(error: unknown): void;
}

/**
 * The target of a request line as a path and a query, or undefined when it names no path.
 * Origin-form (`/path?query`) is kept as sent: `new URL` would read `//x/index.html` as host `x`
 * and path `/index.html`, and throws on `//`. Absolute-form (`http://host/path`) must be accepted
 * by a server (RFC 9112, section 3.2.2); asterisk- and authority-form name no resource here.
 */
export function requestTarget(raw: string): RequestTarget | undefined {
  let target = raw;
  if (!target.startsWith('/')) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return undefined;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    target = `${url.pathname}${url.search}`;
  }
  const fragment = target.indexOf('#');
  if (fragment >= 0) target = target.slice(0, fragment);
  const question = target.indexOf('?');
  return question < 0
    ? { path: target, query: '' }
    : { path: target.slice(0, question), query: target.slice(question + 1) };
}

/**
 * The problem with the host a request names, or undefined when it is one this server printed:
 * 127.0.0.1 (the address it was reached on) or localhost, with the port it listens on. A page whose
 * own name an attacker made resolve to 127.0.0.1 (DNS rebinding) sends its own name, and the
 * browser would let it read every answer; refusing unknown names closes that. An absolute-form
 * target's authority is the host (RFC 9112, section 3.2.2), whatever the Host header says.
 */
function wrongHost(request: http.IncomingMessage): string | undefined {
  const { localAddress, localPort } = request.socket;
  const address = localAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
  const printed = `http://${address}:${localPort}`;
  let host = request.headers.host;
  const raw = request.url ?? '';
  if (!raw.startsWith('/')) {
    try {
      host = new URL(raw).host;
    } catch {
      // No authority to read: the target itself is refused as naming no path.
    }
  }
  const allowed = [`${address}:${localPort}`, `localhost:${localPort}`];
  if (host !== undefined && allowed.includes(host.toLowerCase())) return undefined;
  return `this server answers only ${printed} (or localhost:${localPort}), not ${host === undefined ? 'a request without a Host header' : host}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function reportToStderr(error: unknown): void {
  process.stderr.write(`request failed: ${visibleText(describe(error))}\n`);
}

/** Writes a whole response on a socket that has no ServerResponse (a refused request line). */
function answerOnSocket(socket: Socket, status: number, answer: ErrorAnswer): void {
  const head = [
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}`,
    ...Object.entries(answer.headers).map(([name, value]) => `${name}: ${value}`),
    `content-length: ${Buffer.byteLength(answer.body)}`,
    'connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${answer.body}`);
}

/** The stop of each guarded server, which its ListeningServer aborts. */
const stopSignals = new WeakMap<http.Server, AbortController>();

// Node's parser errors that have a status of their own; any other refused request is a 400.
const CLIENT_ERROR_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * An HTTP server that answers every request and never lets one take the process down: a request
 * line Node's parser refuses, a target that is no path, a CONNECT, and an exception or rejection
 * in the handler each get this server's own error answer, and a request for a name it did not
 * print (wrongHost) is refused before any handling. Every server of the local system is one.
 * Once it is stopping, it answers every new request 503 with Retry-After (its own error body),
 * until its port closes.
 */
export function guardedServer(options: GuardedServerOptions): http.Server {
  const onError = options.onError ?? reportToStderr;
  const stopping = new AbortController();
  const fail = (response: http.ServerResponse, status: number, problem?: string) => {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const answer = options.errorAnswer(status, problem);
    response.writeHead(status, {
      ...answer.headers,
      ...(status === 503 && STOPPING_HEADERS),
      'content-length': String(Buffer.byteLength(answer.body)),
    });
    response.end(answer.body);
  };
  const server = http.createServer((request, response) => {
    if (stopping.signal.aborted) {
      request.resume();
      fail(response, 503);
      return;
    }
    // A stream error with no listener would be thrown as an uncaught exception. A client that
    // goes away mid-request ("aborted", ECONNRESET) is no failure of this server.
    const onStreamError = (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') onError(error);
    };
    request.on('error', onStreamError);
    response.on('error', onStreamError);
    const misdirected = wrongHost(request);
    if (misdirected !== undefined) {
      request.resume();
      fail(response, options.wrongHostStatus ?? 421, misdirected);
      return;
    }
    const target = requestTarget(request.url ?? '');
    if (target === undefined) {
      request.resume();
      fail(response, 400);
      return;
    }
    try {
      void Promise.resolve(options.handle(request, response, target, stopping.signal)).catch(
        (error: unknown) => {
          onError(error);
          fail(response, 500);
        },
      );
    } catch (error: unknown) {
      onError(error);
      fail(response, 500);
    }
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? 400;
    answerOnSocket(socket, status, options.errorAnswer(status));
  });
  // Without a listener Node closes a CONNECT's socket without a word; its target is no path.
  server.on('connect', (_request: http.IncomingMessage, socket: Socket) => {
    socket.on('error', () => socket.destroy());
    answerOnSocket(socket, 400, options.errorAnswer(400));
  });
  stopSignals.set(server, stopping);
  return server;
}

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
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // An error after listening (EMFILE on accept, say) must not become an uncaught exception.
    server.on('error', reportToStderr);
    return new ListeningServer(server, `http://${host}:${(server.address() as AddressInfo).port}`);
  }

  /**
   * From now on answers every new request 503 with Retry-After (a guarded server; other servers
   * go on answering), its port still open: what a client that arrives while the system stops
   * gets, rather than a refused connection or an error from a part already stopped.
   */
  beginStopping(): void {
    stopSignals.get(this.server)?.abort(new Error('the server is stopping'));
  }

  /** Closes the server and every open connection; resolves when it has closed. */
  async stop(): Promise<void> {
    this.beginStopping();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
