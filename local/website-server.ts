import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ListeningServer } from './listening-server';
import type { WebsiteBuild } from '../bundling/website';
import {
  contentSecurityPolicy,
  WEBSITE_CONFIG_FILE,
  type WebsiteConfig,
} from '../contract/website';

export interface WebsiteServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly build: WebsiteBuild;
  readonly config: WebsiteConfig;
}

interface Served {
  readonly body: Buffer;
  readonly gzipped: Buffer | undefined;
  readonly headers: Record<string, string>;
}

const COMPRESSIBLE = /^(text\/|application\/json|image\/svg)/;

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
 * headers, gzip where the browser accepts it, and a generated `config.json`. Only files of the
 * build are served, so no path can reach outside it.
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
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = files.get(pathname === '/' ? '/index.html' : pathname);
    if (file === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(file === undefined ? 404 : 405, {
        'content-type': 'text/plain; charset=utf-8',
        ...securityHeaders,
      });
      response.end(file === undefined ? 'Not found' : 'Method not allowed');
      return;
    }
    const gzip =
      file.gzipped !== undefined &&
      /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    const body = gzip ? (file.gzipped as Buffer) : file.body;
    response.writeHead(200, {
      ...file.headers,
      ...securityHeaders,
      ...(gzip && { 'content-encoding': 'gzip' }),
      vary: 'accept-encoding',
      'content-length': String(body.length),
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  return ListeningServer.listen(server, options.port, options.host);
}
