import * as http from 'node:http';
import { CORRELATION_ID_HEADER } from '../../contract/api';
import { WEBSITE_CONFIG_FILE, type WebsiteConfig } from '../../contract/website';
import { ListeningServer } from '@monitored/cloudwatch-local';

/** What a broken server answers instead of the system. */
export interface WrongAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** One request of the journey that gets a wrong answer; every other request reaches the system. */
export interface Breakage {
  readonly server: 'api' | 'website';
  readonly method: string;
  readonly path: RegExp;
  /** Which matching request (1 for the first) is answered wrongly. */
  readonly occurrence: number;
  readonly answer: WrongAnswer;
}

export interface BrokenRequest {
  readonly method: string;
  readonly path: string;
  readonly correlationId: string | undefined;
}

export interface StageFront {
  readonly websiteUrl: string;
  readonly apiUrl: string;
  /** The requests that got the wrong answer, with the x-correlation-id they carried. */
  readonly broken: readonly BrokenRequest[];
  stop(): Promise<void>;
}

export interface Upstream {
  readonly websiteUrl: string;
  readonly apiUrl: string;
}

function withoutHost(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'host'));
}

function forward(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  target: string,
  headers: http.OutgoingHttpHeaders,
  rewrite: (headers: http.IncomingHttpHeaders) => http.IncomingHttpHeaders = (same) => same,
): void {
  const upstream = http.request(
    new URL(request.url ?? '/', target),
    { method: request.method, headers },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, rewrite(answer.headers));
      answer.pipe(response);
    },
  );
  upstream.on('error', (error) => {
    response.writeHead(502, { 'content-type': 'text/plain' }).end(error.message);
  });
  request.pipe(upstream);
}

/**
 * A stage on its own addresses in front of the local system, as another deployment of it would
 * be: a website (its `config.json` names this front's API) and an API whose CORS admits this
 * front's website, forwarding everything to the system, except the one request a `breakage`
 * names, which gets the wrong answer. The API front maps the website's origin to the system's
 * website origin and back, since the system admits its own website only.
 */
export async function startStageFront(system: Upstream, breakage?: Breakage): Promise<StageFront> {
  const broken: BrokenRequest[] = [];
  let seen = 0;
  const isBroken = (server: Breakage['server'], request: http.IncomingMessage): boolean => {
    if (breakage === undefined || breakage.server !== server) return false;
    if (request.method !== breakage.method || !breakage.path.test(request.url ?? '')) return false;
    seen += 1;
    return seen === breakage.occurrence;
  };
  const answerWrongly = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const header = request.headers[CORRELATION_ID_HEADER];
    broken.push({
      method: request.method ?? '',
      path: request.url ?? '',
      correlationId: typeof header === 'string' ? header : undefined,
    });
    const answer = breakage?.answer ?? { status: 500 };
    request.resume();
    response.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
  };
  const systemOrigin = new URL(system.websiteUrl).origin;

  let apiUrl = '';
  let websiteOrigin = '';
  const website = await ListeningServer.listen(
    http.createServer((request, response) => {
      if (isBroken('website', request)) return answerWrongly(request, response);
      if (request.url === `/${WEBSITE_CONFIG_FILE}`) {
        const config: WebsiteConfig = { apiUrl };
        response
          .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
          .end(JSON.stringify(config));
        return;
      }
      forward(request, response, system.websiteUrl, withoutHost(request.headers));
    }),
    0,
  );
  websiteOrigin = new URL(website.url).origin;

  const api = await ListeningServer.listen(
    http.createServer((request, response) => {
      if (isBroken('api', request)) return answerWrongly(request, response);
      const fromWebsite = request.headers.origin === websiteOrigin;
      forward(
        request,
        response,
        system.apiUrl,
        { ...withoutHost(request.headers), ...(fromWebsite ? { origin: systemOrigin } : {}) },
        (headers) =>
          fromWebsite && headers['access-control-allow-origin'] === systemOrigin
            ? { ...headers, 'access-control-allow-origin': websiteOrigin }
            : headers,
      );
    }),
    0,
  );
  apiUrl = api.url;

  return {
    websiteUrl: website.url,
    apiUrl: api.url,
    broken,
    async stop() {
      await api.stop();
      await website.stop();
    },
  };
}
