// @tier e2e
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DYNAMODB_LOCAL_INTEGRITY } from '../../local/paths';
import { assertPinnedTarball, sha512Integrity } from '../../scripts/ensure-dynamodb-local';
import { processesWith, runScript, waitUntilGone } from '../support/processes';

const NAME = 'amplify-dynamodb-simulator';
const VERSION = '2.9.30';

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ensure-dynamodb-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

/** A tarball in the package's layout whose jar is not AWS's. */
function tamperedTarball(): string {
  const root = path.join(work, 'src', 'package');
  fs.mkdirSync(path.join(root, 'emulator'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: NAME, version: VERSION }),
  );
  fs.writeFileSync(path.join(root, 'emulator', 'DynamoDBLocal.jar'), 'not the jar AWS published');
  const tarball = path.join(work, `${NAME}-${VERSION}.tgz`);
  execFileSync('tar', ['-czf', tarball, '-C', path.join(work, 'src'), 'package']);
  return tarball;
}

/**
 * A registry (the one fault here that cannot be produced for real) that serves the tampered
 * tarball with metadata that matches it, as a compromised mirror would: npm's own check passes.
 */
async function registryServing(tarball: string): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const { port } = server.address() as AddressInfo;
    if (request.url === `/${NAME}`) {
      const tarballUrl = `http://127.0.0.1:${port}/${NAME}/-/${path.basename(tarball)}`;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          name: NAME,
          'dist-tags': { latest: VERSION },
          versions: {
            [VERSION]: {
              name: NAME,
              version: VERSION,
              dist: { tarball: tarballUrl, integrity: sha512Integrity(tarball) },
            },
          },
        }),
      );
    } else if (request.url === `/${NAME}/-/${path.basename(tarball)}`) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(fs.readFileSync(tarball));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('fetching DynamoDB Local', () => {
  it('refuses a tarball that is not the pinned one, naming both checksums, and installs nothing', async () => {
    const tarball = tamperedTarball();
    const registry = await registryServing(tarball);
    const installDir = path.join(work, 'dynamodb-local');
    try {
      const { code, output } = await runScript('ensure-dynamodb-local', [], {
        DYNAMODB_LOCAL_DIR: installDir,
        npm_config_registry: `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`,
        npm_config_cache: path.join(work, 'npm-cache'),
        npm_config_fetch_retries: '0',
        npm_config_update_notifier: 'false',
      });

      expect(code).toBe(1);
      expect(output).toContain(
        `The tarball of ${NAME}@${VERSION} does not match its pinned checksum: ` +
          `expected ${DYNAMODB_LOCAL_INTEGRITY}, got ${sha512Integrity(tarball)}.`,
      );
      expect(fs.existsSync(installDir)).toBe(false);
      expect(fs.existsSync(`${installDir}.partial`)).toBe(false);
    } finally {
      registry.close();
    }
  }, 60_000);

  it('lets `npm start` stop at once when told to while the fetch hangs, leaving no npm behind', async () => {
    // A registry that takes the request and never answers: a fetch stuck on a dead mirror.
    const held: http.ServerResponse[] = [];
    const registry = http.createServer((_request, response) => held.push(response));
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const installDir = path.join(work, 'dynamodb-local');
    const cache = path.join(work, 'npm-cache');
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'scripts/start.ts', '--in-memory', '--no-monitor'],
        {
          cwd: path.resolve(__dirname, '../..'),
          env: {
            ...process.env,
            DYNAMODB_LOCAL_DIR: installDir,
            npm_config_registry: `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`,
            npm_config_cache: cache,
            npm_config_fetch_retries: '0',
            npm_config_update_notifier: 'false',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      let output = '';
      const fetching = new Promise<void>((resolve) => {
        const listen = (chunk: Buffer) => {
          output += chunk.toString();
          if (held.length > 0 && output.includes('Fetching DynamoDB Local')) resolve();
        };
        child.stderr.on('data', listen);
        registry.on('request', () => listen(Buffer.alloc(0)));
      });
      await fetching;
      child.kill('SIGTERM');
      const code = await exited;

      expect(code).toBe(0);
      expect(await waitUntilGone(processesWith(cache), 5_000)).toEqual([]);
      expect(fs.existsSync(installDir)).toBe(false);
    } finally {
      for (const response of held) response.destroy();
      registry.close();
    }
  }, 60_000);

  it('accepts exactly the bytes whose digest is pinned', () => {
    const file = path.join(work, 'file');
    fs.writeFileSync(file, 'some bytes');
    const digest = sha512Integrity(file);

    expect(digest).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    expect(() => assertPinnedTarball(file, digest)).not.toThrow();
    fs.appendFileSync(file, '!');
    expect(() => assertPinnedTarball(file, digest)).toThrow(`expected ${digest}, got sha512-`);
  });
});
