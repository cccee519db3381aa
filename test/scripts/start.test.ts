import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { freePort } from '../../local/ports';
import { runScript, waitUntilGone } from '../support/processes';

const ROOT = path.resolve(__dirname, '..', '..');

interface Started {
  readonly process: ChildProcess;
  readonly output: string[];
  readonly websiteUrl: string;
  readonly apiUrl: string;
  exit(): Promise<number | null>;
}

/** Runs `npm start`'s script as a user would, and resolves when it prints that it is ready. */
function startUntilReady(args: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  readline.createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  return new Promise((resolve, reject) => {
    let websiteUrl = '';
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      websiteUrl = /Website:\s+(\S+)/.exec(line)?.[1] ?? websiteUrl;
      const api = /API:\s+(\S+)/.exec(line)?.[1];
      if (api !== undefined)
        resolve({ process: child, output, websiteUrl, apiUrl: api, exit: () => exited });
    });
    void exited.then((code) =>
      reject(new Error(`start exited (${code}) before it was ready:\n${output.join('\n')}`)),
    );
  });
}

/** PIDs of DynamoDB Local JVMs whose command line mentions `marker`. */
function jvmsWith(marker: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return (
          cmdline.includes('DynamoDBLocal.jar') &&
          cmdline.includes(marker) &&
          cmdline.startsWith('java')
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Direct children of `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

async function freePortsEnv(): Promise<NodeJS.ProcessEnv> {
  return {
    WEBSITE_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    DYNAMODB_PORT: String(await freePort()),
  };
}

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-start-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

describe('npm start', () => {
  it('serves the site and the API, keeps messages across a restart, and leaves no process behind', async () => {
    const dataDir = path.join(work, 'data');
    const env = await freePortsEnv();
    const args = ['--data-dir', dataDir, '--log-file', path.join(work, 'lambda.log')];

    const first = await startUntilReady(args, env);
    const page = await fetch(first.websiteUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    expect(await (await fetch(`${first.websiteUrl}/config.json`)).json()).toEqual({
      apiUrl: first.apiUrl,
    });

    const texts = ['first', 'second', 'third ✓'];
    const ids: string[] = [];
    for (const message of texts) {
      const response = await fetch(`${first.apiUrl}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: first.websiteUrl },
        body: JSON.stringify({ message }),
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('access-control-allow-origin')).toBe(first.websiteUrl);
      ids.push(((await response.json()) as { id: string }).id);
    }
    expect(await (await fetch(`${first.apiUrl}/messages`)).json()).toEqual({ count: 3 });
    expect(jvmsWith(dataDir)).toHaveLength(1);

    first.process.kill('SIGTERM');
    expect(await first.exit()).toBe(0);
    expect(first.output.join('\n')).toContain('Stopped.');
    expect(jvmsWith(dataDir)).toEqual([]);
    const logLines = fs
      .readFileSync(path.join(work, 'lambda.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(
      logLines.filter((line) => line.message === 'request' && line.status === 201),
    ).toHaveLength(3);

    const second = await startUntilReady(args, env);
    expect(await (await fetch(`${second.apiUrl}/messages`)).json()).toEqual({ count: 3 });
    for (const [i, id] of ids.entries()) {
      expect(await (await fetch(`${second.apiUrl}/messages/${id}`)).json()).toMatchObject({
        id,
        message: texts[i],
      });
    }
    second.process.kill('SIGINT');
    expect(await second.exit()).toBe(0);
    expect(jvmsWith(dataDir)).toEqual([]);
  }, 90_000);

  it('takes DynamoDB Local and the function down with it even when killed with SIGKILL', async () => {
    const dataDir = path.join(work, 'data');
    const started = await startUntilReady(
      ['--data-dir', dataDir, '--log-file', path.join(work, 'lambda.log')],
      await freePortsEnv(),
    );
    expect((await fetch(`${started.apiUrl}/messages`)).status).toBe(200);
    const [jvm] = jvmsWith(dataDir);
    expect(jvm).toBeDefined();
    const descendants = childrenOf(started.process.pid!).flatMap((pid) => [
      pid,
      ...childrenOf(pid),
    ]);
    expect(descendants.length).toBeGreaterThanOrEqual(3);
    started.process.kill('SIGKILL');
    await started.exit();
    // Each child sees its pipe to the dead parent close and ends; wait (bounded) for them to go.
    expect(await waitUntilGone([jvm, ...descendants], 10_000)).toEqual([]);
  }, 60_000);

  it('stops everything when `npm start` itself is sent SIGTERM', async () => {
    const dataDir = path.join(work, 'data');
    const npm = spawn(
      'npm',
      ['start', '--', '--data-dir', dataDir, '--log-file', path.join(work, 'lambda.log')],
      {
        cwd: ROOT,
        env: { ...process.env, ...(await freePortsEnv()) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      readline.createInterface({ input: npm.stdout! }).on('line', (line) => {
        if (line.startsWith('Press Ctrl-C')) resolve();
      });
      npm.once('exit', (code) =>
        reject(new Error(`npm start exited (${code}) before it was ready`)),
      );
    });
    const [jvm] = jvmsWith(dataDir);
    expect(jvm).toBeDefined();
    npm.kill('SIGTERM');
    expect(await waitUntilGone([jvm], 15_000)).toEqual([]);
  }, 60_000);

  it('answers like the stack for unknown routes (its $default route) and CORS from other origins', async () => {
    const started = await startUntilReady(
      ['--in-memory', '--log-file', path.join(work, 'lambda.log')],
      await freePortsEnv(),
    );
    try {
      const unknown = await fetch(`${started.apiUrl}/nope`);
      expect(unknown.status).toBe(404);
      expect((await unknown.json()).error.code).toBe('ROUTE_NOT_FOUND');
      const preflight = await fetch(`${started.apiUrl}/messages`, {
        method: 'OPTIONS',
        headers: {
          origin: started.websiteUrl,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-correlation-id',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(started.websiteUrl);
      const foreign = await fetch(`${started.apiUrl}/messages`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      const big = await fetch(`${started.apiUrl}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(11 * 1024 * 1024),
      });
      expect(big.status).toBe(413);
    } finally {
      started.process.kill('SIGTERM');
      await started.exit();
    }
  }, 60_000);

  it('says which port is in use and how to change it', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const { code, output } = await runScript('start', ['--in-memory'], {
        ...(await freePortsEnv()),
        API_PORT: String(taken),
      });
      expect(code).toBe(1);
      expect(output).toContain(`Port ${taken} (local API) is already in use`);
      expect(output).toContain('set API_PORT to another port');
    } finally {
      blocker.close();
    }
  });

  it('says how to install Java when there is none', async () => {
    const bin = path.join(work, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const { code, output } = await runScript('start', ['--in-memory'], {
      ...(await freePortsEnv()),
      PATH: bin,
    });
    expect(code).toBe(1);
    expect(output).toContain('DynamoDB Local needs Java 17 or newer; found no java on PATH');
    expect(output).toContain('apt-get install -y openjdk-17-jre-headless');
  });

  it('says DynamoDB Local was not found when it is missing and cannot be fetched', async () => {
    const { code, output } = await runScript('start', ['--in-memory'], {
      ...(await freePortsEnv()),
      DYNAMODB_LOCAL_DIR: path.join(work, 'no-dynamodb'),
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_fetch_retries: '0',
    });
    expect(code).toBe(1);
    expect(output).toContain(`DynamoDB Local not found in ${path.join(work, 'no-dynamodb')}`);
  }, 60_000);

  it('refuses a malformed --api-url', async () => {
    const { code, output } = await runScript(
      'start',
      ['--api-url', 'not a url'],
      await freePortsEnv(),
    );
    expect(code).toBe(1);
    expect(output).toContain('--api-url "not a url" is not an http(s) URL');
  });

  it('serves the website against a deployed API with --api-url, starting no database', async () => {
    const remote = 'https://abc123.execute-api.us-west-2.amazonaws.com';
    const started = await startUntilReady(['--api-url', remote], await freePortsEnv());
    try {
      expect(await (await fetch(`${started.websiteUrl}/config.json`)).json()).toEqual({
        apiUrl: remote,
      });
      const page = await fetch(started.websiteUrl);
      expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ${remote}`);
      expect(started.output.join('\n')).not.toContain('DynamoDB:');
    } finally {
      started.process.kill('SIGTERM');
      await started.exit();
    }
  }, 60_000);
});
