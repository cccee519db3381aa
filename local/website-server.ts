import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { guardedServer, ListeningServer } from '@monitored/cloudwatch-local';
import type { WebsiteBuild } from '../bundling/website';
import {
  contentSecurityPolicy,
  NOT_FOUND_PAGE,
  WEBSITE_CONFIG_FILE,
  type WebsiteConfig,
} from '../contract/website';

export interface WebsiteServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly build: WebsiteBuild;
  readonly config: WebsiteConfig;
  /** Told of each failure while handling a request. @default stderr */
  readonly onError?: (error: unknown) => void;
  /** Told of each answer sent (the local AWS/CloudFront metrics). */
  readonly onResponse?: (response: WebsiteResponse) => void;
}

/** One viewer request as CloudFront's metrics see it. */
export interface WebsiteResponse {
  /** When it was received (Date.now()). */
  readonly at: number;
  readonly method: string;
  readonly status: number;
  /** Bytes of the body sent (none for HEAD). */
  readonly bodyBytes: number;
}

interface Served {
  readonly body: Buffer;
  readonly gzipped: Buffer | undefined;
  readonly headers: Record<string, string>;
}

const COMPRESSIBLE = /^(text\/|application\/json|image\/svg)/;
// The distribution's cache behavior allows these methods only.
const ALLOWED_METHODS = 'GET, HEAD';

/**
 * The object a request path names, as S3 reads the key from the path CloudFront forwards:
 * percent-decoded, taken literally (`//` names the key `/`, not the index), and `/` alone is the
 * default root object. Undefined when the path cannot be decoded.
 */
function objectPath(path: string): string | undefined {
  if (path === '/') return '/index.html';
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

function served(body: Buffer, contentType: string, cacheControl: string): Served {
  const compressible = COMPRESSIBLE.test(contentType) && body.length > 1024;
  return {
    body,
    gzipped: compressible ? gzipSync(body, { level: 9 }) : undefined,
    headers: { 'content-type': contentType, 'cache-control': cacheControl },
  };
}

/**
 * Serves the website build as CloudFront would: the same files, cache headers and security
 * headers, gzip where the browser accepts it, and a generated `config.json`; a path that names no
 * file gets the build's 404 page with status 404, as the distribution's custom error response
 * gives it, and a method other than GET or HEAD a 405. Only files of the build are served, so no
 * path can reach outside it.
 */
export function startWebsiteServer(options: WebsiteServerOptions): Promise<ListeningServer> {
  const files = new Map<string, Served>();
  for (const file of options.build.files) {
    files.set(
      `/${file.key}`,
      served(
        fs.readFileSync(path.join(options.build.directory, file.key)),
        file.contentType,
        file.cacheControl,
      ),
    );
  }
  files.set(
    `/${WEBSITE_CONFIG_FILE}`,
    served(
      Buffer.from(JSON.stringify(options.config)),
      'application/json; charset=utf-8',
      'no-cache',
    ),
  );
  const apiOrigin = new URL(options.config.apiUrl).origin;
  const securityHeaders = {
    'content-security-policy': contentSecurityPolicy(apiOrigin),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
  const notFound = files.get(`/${NOT_FOUND_PAGE}`);
  const server = guardedServer({
    onError: options.onError,
    errorAnswer: (status, problem) => ({
      headers: { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders },
      body:
        problem === undefined
          ? (http.STATUS_CODES[status] ?? 'Error')
          : `The request could not be satisfied: ${problem}`,
    }),
    // CloudFront answers a name that is not one of the distribution's 403, "The request could not
    // be satisfied" (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-403-permission-denied.html).
    wrongHostStatus: 403,
    handle: (request, response, target) => {
      const at = Date.now();
      const method = request.method ?? 'GET';
      let bodyBytes = 0;
      response.once('finish', () =>
        options.onResponse?.({ at, method, status: response.statusCode, bodyBytes }),
      );
      if (method !== 'GET' && method !== 'HEAD') {
        request.resume();
        const body = 'Method not allowed';
        response.writeHead(405, {
          'content-type': 'text/plain; charset=utf-8',
          allow: ALLOWED_METHODS,
          ...securityHeaders,
          'content-length': String(Buffer.byteLength(body)),
        });
        bodyBytes = Buffer.byteLength(body);
        response.end(body);
        return;
      }
      const key = objectPath(target.path);
      const file = key === undefined ? undefined : files.get(key);
      const answer = file ?? notFound;
      if (answer === undefined) {
        const body = 'Not found';
        response.writeHead(404, {
          'content-type': 'text/plain; charset=utf-8',
          ...securityHeaders,
          'content-length': String(Buffer.byteLength(body)),
        });
        if (method !== 'HEAD') bodyBytes = Buffer.byteLength(body);
        response.end(method === 'HEAD' ? undefined : body);
        return;
      }
      const gzip =
        answer.gzipped !== undefined &&
        /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
      const body = gzip ? (answer.gzipped as Buffer) : answer.body;
      response.writeHead(file === undefined ? 404 : 200, {
        ...answer.headers,
        ...securityHeaders,
        ...(gzip && { 'content-encoding': 'gzip' }),
        vary: 'accept-encoding',
        'content-length': String(body.length),
      });
      if (method !== 'HEAD') bodyBytes = body.length;
      response.end(method === 'HEAD' ? undefined : body);
    },
  });
  return ListeningServer.listen(server, options.port, options.host);
}
