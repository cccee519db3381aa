import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildWebsite } from '../../bundling/website';
import { NOT_FOUND_PAGE } from '../../contract/website';
import type { ListeningServer } from '@monitored/cloudwatch-local';
import { startWebsiteServer } from '../../local/website-server';
import { rawRequest } from '../support/raw-http';

const build = buildWebsite();
const page = (key: string) => fs.readFileSync(path.join(build.directory, key), 'utf8');

let server: ListeningServer;
beforeAll(async () => {
  server = await startWebsiteServer({ port: 0, build, config: { apiUrl: 'http://127.0.0.1:1' } });
});
afterAll(() => server.stop());

describe('the local website server, as the distribution answers', () => {
  it('serves the index for / and each file of the build by its key', async () => {
    const index = await fetch(`${server.url}/`);
    const favicon = await fetch(`${server.url}/favicon.svg`);

    expect(index.status).toBe(200);
    expect(await index.text()).toBe(page('index.html'));
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it("answers a path that names no file with the build's 404 page and status 404", async () => {
    const missing = await fetch(`${server.url}/no/such/page`);

    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(missing.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await missing.text()).toBe(page(NOT_FOUND_PAGE));
  });

  it.each(['//', '//x/index.html', '/index.html/', '/%zz'])(
    'takes %j literally: it names no file, so it is not the index',
    async (target) => {
      const answer = await rawRequest(server.url, `GET ${target} HTTP/1.1`);

      expect(answer.status).toBe(404);
      expect(answer.body).toBe(page(NOT_FOUND_PAGE));
    },
  );

  it('decodes the path as S3 reads a key', async () => {
    const favicon = await fetch(`${server.url}/favicon%2Esvg`);

    expect(favicon.status).toBe(200);
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])(
    'refuses %s with 405 and names the allowed methods',
    async (method) => {
      const response = await fetch(`${server.url}/`, { method });

      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    },
  );

  it('answers HEAD with the headers of GET and no body', async () => {
    const head = await fetch(`${server.url}/no/such/page`, { method: 'HEAD' });

    expect(head.status).toBe(404);
    expect(await head.text()).toBe('');
  });
});
