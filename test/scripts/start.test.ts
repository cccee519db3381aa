// @tier e2e
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { TABLE_KEY } from '../../contract/function';
import { LOCAL_PORTS } from '../../contract/local-ports';
import { LOCK_FILE } from '../../local/data-dir-lock';
import { DYNAMODB_LOCAL_DIR } from '../../local/paths';
import { freePort } from '../../local/ports';
import {
  commandOf,
  leftIn,
  npmRun,
  processesWith,
  processTree,
  runScript,
  waitUntilGone,
  waitUntilPortsFree,
} from '../support/processes';
import { awsCli } from '../support/aws-cli';
import { dynamoDbCall } from '../support/dynamodb-http';
import { HOSTILE_REQUEST_LINES, rawRequest } from '../support/raw-http';

const ROOT = path.resolve(__dirname, '..', '..');

interface Launched {
  readonly process: ChildProcess;
  /** Lines of stdout and stderr, as they arrive. */
  readonly output: string[];
  /** Everything written to stdout, byte for byte (as text). */
  stdout(): string;
  /** Resolves with the first line (already written or to come) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exit(): Promise<number | null>;
}

const launched: ChildProcess[] = [];

/**
 * Runs `npm start` (`npm`) or its script under node (`node`), as a user would. Without the
 * monitoring loop unless `monitor` (the loop has tests of its own, and its canaries would post
 * messages that these tests count).
 */
function launch(
  how: 'node' | 'npm',
  args: string[],
  env: NodeJS.ProcessEnv,
  monitor = false,
  /** In a process group of its own, as a terminal runs a command: `-pid` signals the group. */
  detached = false,
): Launched {
  const all = monitor ? args : ['--no-monitor', ...args];
  const [command, commandArgs] =
    how === 'npm'
      ? ['npm', ['start', '--', ...all]]
      : [process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...all]];
  const child = spawn(command, commandArgs, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  launched.push(child);
  const output: string[] = [];
  let stdout = '';
  const waiting = new Set<() => void>();
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
      for (const wake of waiting) wake();
    }),
  );
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      for (const wake of waiting) wake();
    });
  }
  const waitForLine = (pattern: RegExp, timeoutMs = 45_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(check);
        reject(
          new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${output.join('\n')}`),
        );
      }, timeoutMs);
      const check = () => {
        const line = output.find((candidate) => pattern.test(candidate));
        if (line === undefined && child.exitCode === null && child.signalCode === null) return;
        clearTimeout(timer);
        waiting.delete(check);
        if (line !== undefined) resolve(line);
        else reject(new Error(`exited before a line matching ${pattern}:\n${output.join('\n')}`));
      };
      waiting.add(check);
      check();
    });
  return { process: child, output, stdout: () => stdout, waitForLine, exit: () => exited };
}

interface Started extends Launched {
  readonly websiteUrl: string;
  readonly apiUrl: string;
}

/** Runs `npm start`'s script as a user would, and resolves when it prints that it is ready. */
async function startUntilReady(
  args: string[],
  env: NodeJS.ProcessEnv,
  how: 'node' | 'npm' = 'node',
  monitor = false,
  detached = false,
): Promise<Started> {
  const launched = launch(how, args, env, monitor, detached);
  const websiteUrl = /Website:\s+(\S+)/.exec(await launched.waitForLine(/Website:/))?.[1] ?? '';
  const apiUrl = /API:\s+(\S+)/.exec(await launched.waitForLine(/API:/))?.[1] ?? '';
  await launched.waitForLine(/^Press Ctrl-C/);
  return { ...launched, websiteUrl, apiUrl };
}

/** PIDs of DynamoDB Local JVMs whose command line mentions `marker`. */
function jvmsWith(marker: string): number[] {
  return processesWith(marker).filter((pid) => {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmdline.includes('DynamoDBLocal.jar') && cmdline.startsWith('java');
    } catch {
      return false;
    }
  });
}

/** The DynamoDB Local JVMs among `pids`. */
function jvmsIn(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    const command = commandOf(pid);
    return command.startsWith('java') && command.includes('DynamoDBLocal.jar');
  });
}

/** Resolves with the JVMs for `marker` once there are some: DynamoDB Local is starting. */
async function jvmsStarting(marker: string, timeoutMs = 30_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  // A poll: nothing tells a test when another process starts a grandchild.
  while (jvmsWith(marker).length === 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 25));
  return jvmsWith(marker);
}

async function freePortsEnv(): Promise<NodeJS.ProcessEnv> {
  return {
    WEBSITE_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    DYNAMODB_PORT: String(await freePort()),
    MONITOR_PORT: String(await freePort()),
  };
}

function portsOf(env: NodeJS.ProcessEnv): number[] {
  return ['WEBSITE_PORT', 'API_PORT', 'DYNAMODB_PORT'].map((name) => Number(env[name]));
}

async function post(apiUrl: string, message: string): Promise<Response> {
  return fetch(`${apiUrl}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message }),
  });
}

async function count(apiUrl: string): Promise<unknown> {
  return (await fetch(`${apiUrl}/messages`)).json();
}

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-start-'));
});
// A test that failed half-way must not leave its system running (nor jest waiting on it).
afterEach(async () => {
  for (const child of launched.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(forced);
  }
  fs.rmSync(work, { recursive: true, force: true });
}, 30_000);

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
    // --no-monitor: the system alone, as the dev stage.
    expect(first.output.join('\n')).toContain('(table msgs-dev-messages, data in');
    expect(first.output.join('\n')).not.toMatch(/Monitor:|^CANARY/m);

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

  it('takes DynamoDB Local and the function down with it even when killed with SIGKILL, and frees the ports', async () => {
    const dataDir = path.join(work, 'data');
    const env = await freePortsEnv();
    const started = await startUntilReady(
      ['--data-dir', dataDir, '--log-file', path.join(work, 'lambda.log')],
      env,
    );
    expect((await fetch(`${started.apiUrl}/messages`)).status).toBe(200);
    const [jvm] = jvmsWith(dataDir);
    expect(jvm).toBeDefined();
    const descendants = processTree(started.process.pid!).slice(1);
    expect(descendants.length).toBeGreaterThanOrEqual(3);

    started.process.kill('SIGKILL');
    await started.exit();

    // Each child sees its pipe to the dead parent close and ends; wait (bounded) for them to go.
    expect(await waitUntilGone([jvm, ...descendants], 10_000)).toEqual([]);
    expect(await waitUntilPortsFree(portsOf(env), 5_000)).toEqual([]);
  }, 60_000);

  it('stops everything when `npm start` itself is sent SIGTERM', async () => {
    const dataDir = path.join(work, 'data');
    const npm = await startUntilReady(
      ['--data-dir', dataDir, '--log-file', path.join(work, 'lambda.log')],
      await freePortsEnv(),
      'npm',
    );
    const [jvm] = jvmsWith(dataDir);
    expect(jvm).toBeDefined();
    npm.process.kill('SIGTERM');
    expect(await waitUntilGone([jvm], 15_000)).toEqual([]);
  }, 60_000);

  // npm forwards SIGINT and SIGTERM to the one process it started; a process manager that signals
  // npm's PID alone relies on that.
  it.each(['SIGINT', 'SIGTERM'] as const)(
    "stops everything, and exits 0, when `npm start` itself (npm's PID alone) is sent %s",
    async (signal) => {
      const env = await freePortsEnv();
      const npm = await startUntilReady(['--in-memory'], env, 'npm');
      expect((await fetch(`${npm.apiUrl}/messages`)).status).toBe(200);
      const everything = processTree(npm.process.pid!);
      expect(everything.length).toBeGreaterThanOrEqual(4);

      npm.process.kill(signal);

      expect(await waitUntilGone(everything, 15_000)).toEqual([]);
      expect(await npm.exit()).toBe(0);
      expect(npm.output.join('\n')).toContain(`${signal}: stopping…`);
      expect(npm.output.join('\n')).toContain('Stopped.');
      expect(await waitUntilPortsFree(portsOf(env), 5_000)).toEqual([]);
    },
    60_000,
  );

  // A terminal's Ctrl-C goes to every process of the foreground group: npm, and the script, which
  // npm then sends it again. That is one Ctrl-C, not the second that exits at once.
  it('stops once, cleanly, on a Ctrl-C to the process group of `npm start`', async () => {
    const npm = await startUntilReady(['--in-memory'], await freePortsEnv(), 'npm', false, true);
    const everything = processTree(npm.process.pid!);

    process.kill(-npm.process.pid!, 'SIGINT');

    expect(await waitUntilGone(everything, 15_000)).toEqual([]);
    expect(await npm.exit()).toBe(0);
    expect(npm.output.join('\n')).toContain('Stopped.');
    expect(npm.output.join('\n')).not.toContain('again: exiting now');
  }, 60_000);

  it('stops what has started when `npm start` is sent SIGTERM during start-up, and frees the ports', async () => {
    const dataDir = path.join(work, 'data');
    const env = await freePortsEnv();
    const npm = launch(
      'npm',
      ['--data-dir', dataDir, '--log-file', path.join(work, 'lambda.log')],
      env,
    );
    // DynamoDB Local is starting: the system is half up.
    const jvms = await jvmsStarting(dataDir);
    expect(jvms).toHaveLength(1);
    const started = processTree(npm.process.pid!);

    npm.process.kill('SIGTERM');

    expect(await waitUntilGone([...jvms, ...started, ...processesWith(dataDir)], 10_000)).toEqual(
      [],
    );
    expect(processesWith(dataDir)).toEqual([]);
    expect(await waitUntilPortsFree(portsOf(env), 5_000)).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  }, 60_000);

  it('stops everything when `npm` is killed with SIGKILL after it is ready, and frees the ports', async () => {
    const dataDir = path.join(work, 'data');
    const env = await freePortsEnv();
    const npm = await startUntilReady(
      ['--data-dir', dataDir, '--log-file', path.join(work, 'lambda.log')],
      env,
      'npm',
    );
    // A request starts the function's execution environment too.
    expect((await fetch(`${npm.apiUrl}/messages`)).status).toBe(200);
    const everything = processTree(npm.process.pid!);
    expect(everything.length).toBeGreaterThanOrEqual(5);

    npm.process.kill('SIGKILL');

    // npm's shell keeps waiting on the script; the script must notice that npm is gone.
    expect(await waitUntilGone(everything, 10_000)).toEqual([]);
    expect(await waitUntilPortsFree(portsOf(env), 5_000)).toEqual([]);
  }, 60_000);

  it("refuses a second `npm start` on the same data directory, naming the first one's PID, and loses no write", async () => {
    const dataDir = path.join(work, 'data');
    const args = ['--data-dir', dataDir, '--log-file', path.join(work, 'lambda.log')];
    const env = await freePortsEnv();
    const first = await startUntilReady(args, env);
    expect((await post(first.apiUrl, 'one')).status).toBe(201);

    const second = await runScript('start', args, await freePortsEnv());

    expect(second.code).toBe(1);
    expect(second.output).toContain(
      `The data directory ${dataDir} is in use by another \`npm start\` (PID ${first.process.pid}`,
    );
    expect((await post(first.apiUrl, 'two')).status).toBe(201);
    expect(await count(first.apiUrl)).toEqual({ count: 2 });
    first.process.kill('SIGTERM');
    expect(await first.exit()).toBe(0);
    const again = await startUntilReady(args, env);
    expect(await count(again.apiUrl)).toEqual({ count: 2 });
    again.process.kill('SIGTERM');
    expect(await again.exit()).toBe(0);
  }, 90_000);

  it('takes over the lock of an `npm start` that no longer runs, and says so', async () => {
    const dataDir = path.join(work, 'data');
    fs.mkdirSync(dataDir);
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    fs.writeFileSync(
      path.join(dataDir, LOCK_FILE),
      JSON.stringify({ pid: gone.pid, startedAt: '2026-11-28T00:00:00.000Z' }),
    );

    const started = await startUntilReady(
      ['--data-dir', dataDir, '--log-file', path.join(work, 'lambda.log')],
      await freePortsEnv(),
    );

    expect(started.output.join('\n')).toContain(
      `Took over the data directory ${dataDir}: its lock named PID ${gone.pid}, which no longer runs`,
    );
    expect((await post(started.apiUrl, 'after the takeover')).status).toBe(201);
    started.process.kill('SIGTERM');
    expect(await started.exit()).toBe(0);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  }, 60_000);

  it('writes nothing under the local folder with --in-memory: no data, no function log', async () => {
    const localDir = path.join(work, 'local');
    const started = await startUntilReady(['--in-memory'], {
      ...(await freePortsEnv()),
      MSGS_LOCAL_DIR: localDir,
      DYNAMODB_LOCAL_DIR,
    });
    expect((await post(started.apiUrl, 'kept in memory')).status).toBe(201);
    await started.waitForLine(/ACCESS POST \/messages 201/);
    started.process.kill('SIGTERM');
    expect(await started.exit()).toBe(0);

    expect(fs.existsSync(localDir)).toBe(false);
    expect(started.output.join('\n')).toContain('Function logs: this terminal only');
  }, 60_000);

  it('keeps the function log of a data folder of its own in that folder, and nothing in the shared one', async () => {
    const dataDir = path.join(work, 'data');
    const localDir = path.join(work, 'local');
    const started = await startUntilReady(['--data-dir', dataDir, '--no-monitor'], {
      ...(await freePortsEnv()),
      MSGS_LOCAL_DIR: localDir,
      DYNAMODB_LOCAL_DIR,
    });
    expect((await post(started.apiUrl, 'in its own folder')).status).toBe(201);
    await started.waitForLine(/ACCESS POST \/messages 201/);
    started.process.kill('SIGTERM');
    expect(await started.exit()).toBe(0);

    expect(fs.readFileSync(path.join(dataDir, 'lambda.log'), 'utf8')).toMatch(/"status":201/);
    expect(fs.existsSync(localDir)).toBe(false);
  }, 60_000);

  it('stays up when the function log cannot be written (a full disk), and says so once', async () => {
    const started = await startUntilReady(
      ['--in-memory', '--no-monitor', '--log-file', '/dev/full'],
      { ...(await freePortsEnv()), DYNAMODB_LOCAL_DIR },
    );
    expect((await post(started.apiUrl, 'first')).status).toBe(201);
    await started.waitForLine(/Cannot write the function log to \/dev\/full: .*ENOSPC/);
    expect((await post(started.apiUrl, 'second')).status).toBe(201);
    await started.waitForLine(/ACCESS POST \/messages 201/);
    started.process.kill('SIGTERM');
    expect(await started.exit()).toBe(0);

    expect(started.output.filter((line) => line.includes('Cannot write'))).toHaveLength(1);
  }, 60_000);

  it('says when DynamoDB Local exits and why, answers 503 meanwhile, and restarts it with its data', async () => {
    // SIGTERM from outside: an exit nobody here asked for. (A SIGKILL can cost DynamoDB Local the
    // transaction it acknowledged last: it writes a transaction to disk up to ~0.1 s after answering.)
    const dataDir = path.join(work, 'data');
    const started = await startUntilReady(
      ['--data-dir', dataDir, '--log-file', path.join(work, 'lambda.log')],
      await freePortsEnv(),
    );
    for (const message of ['one', 'two'])
      expect((await post(started.apiUrl, message)).status).toBe(201);
    const [jvm] = jvmsWith(dataDir);

    process.kill(jvm, 'SIGTERM');
    await started.waitForLine(
      /^DynamoDB Local exited unexpectedly at \d\d:\d\d:\d\d \(killed by SIGTERM\)\. Its last output:/,
    );
    const during = await fetch(`${started.apiUrl}/messages`);

    expect(during.status).toBe(503);
    expect(((await during.json()) as { error: { message: string } }).error.message).toContain(
      'The message store is unavailable',
    );
    expect(started.output.join('\n')).toMatch(/Restarting DynamoDB Local in 1 s \(attempt 1 of 5/);
    await started.waitForLine(/^DynamoDB Local is back at /, 45_000);
    expect(await count(started.apiUrl)).toEqual({ count: 2 });
    expect((await post(started.apiUrl, 'three')).status).toBe(201);
    expect(await count(started.apiUrl)).toEqual({ count: 3 });
    started.process.kill('SIGTERM');
    expect(await started.exit()).toBe(0);
    expect(jvmsWith(dataDir)).toEqual([]);
  }, 90_000);

  it("prints DynamoDB Local's endpoint on DYNAMODB_PORT, where the AWS CLI reads the table and a rebound name is refused", async () => {
    const env = await freePortsEnv();
    const port = env.DYNAMODB_PORT!;
    const started = await startUntilReady(['--in-memory'], env);
    try {
      const created = await post(started.apiUrl, 'read by the CLI');
      const { id } = (await created.json()) as { id: string };
      const item = await awsCli([
        'dynamodb',
        'get-item',
        '--endpoint-url',
        `http://localhost:${port}`,
        '--table-name',
        'msgs-dev-messages',
        '--key',
        JSON.stringify({ [TABLE_KEY.partitionKey]: { S: id } }),
        '--output',
        'json',
      ]);
      const rebound = await dynamoDbCall(`http://127.0.0.1:${port}`, 'ListTables', '{}', {
        host: `evil.example:${port}`,
      });

      expect(started.output).toContain(
        `  DynamoDB: http://127.0.0.1:${port} (table msgs-dev-messages, in memory)`,
      );
      expect(item).toMatchObject({ code: 0 });
      expect(JSON.parse(item.stdout)).toMatchObject({
        Item: { message: { S: 'read by the CLI' } },
      });
      expect(rebound.status).toBe(421);
    } finally {
      started.process.kill('SIGTERM');
      await started.exit();
    }
  }, 60_000);

  it('shows what requests carry without raw control characters, and no colour when the output is not a terminal', async () => {
    const started = await startUntilReady(['--in-memory'], await freePortsEnv());
    const unknownField = await fetch(`${started.apiUrl}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'hi', 'x\x1b[2J\x1b]0;owned\x07': 1 }),
    });
    expect(unknownField.status).toBe(400);
    const badId = await fetch(`${started.apiUrl}/messages/%1B%5B31mred%9B`);
    expect(badId.status).toBe(400);
    await started.waitForLine(/ACCESS GET \/messages\/\{id\} 400/);
    await started.waitForLine(/ACCESS POST \/messages 400/);
    started.process.kill('SIGTERM');
    await started.exit();

    const terminal = started.stdout();
    expect(terminal).toContain('x\\x1b[2J\\x1b]0;owned\\x07');
    // Nothing but line feeds: no ESC, no BEL, no C1 control, so no colour code either.
    // eslint-disable-next-line no-control-regex -- the control characters are what is tested
    expect(terminal).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  }, 60_000);

  it('stays up when sent request lines Node cannot parse, on the website and the API', async () => {
    const started = await startUntilReady(['--in-memory'], await freePortsEnv());
    try {
      for (const url of [started.websiteUrl, started.apiUrl]) {
        for (const line of HOSTILE_REQUEST_LINES) {
          const answer = await rawRequest(url, line);
          expect({ line, status: answer.status }).toEqual({ line, status: expect.any(Number) });
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(answer.status).toBeLessThan(500);
        }
      }
      expect((await fetch(started.websiteUrl)).status).toBe(200);
      expect((await post(started.apiUrl, 'still here')).status).toBe(201);
      expect(started.process.exitCode).toBeNull();
    } finally {
      started.process.kill('SIGTERM');
      await started.exit();
    }
  }, 60_000);

  it('keeps a generic API_URL from switching to a deployed API; --api-url or MSGS_API_URL does', async () => {
    const remote = 'https://abc123.execute-api.us-west-2.amazonaws.com';
    const local = await startUntilReady(['--in-memory'], {
      ...(await freePortsEnv()),
      API_URL: remote,
    });
    try {
      expect(local.output.join('\n')).toContain('DynamoDB:');
      expect(await (await fetch(`${local.websiteUrl}/config.json`)).json()).toEqual({
        apiUrl: local.apiUrl,
      });
    } finally {
      local.process.kill('SIGTERM');
      await local.exit();
    }
    const deployed = await startUntilReady([], { ...(await freePortsEnv()), MSGS_API_URL: remote });
    try {
      expect(await (await fetch(`${deployed.websiteUrl}/config.json`)).json()).toEqual({
        apiUrl: remote,
      });
    } finally {
      deployed.process.kill('SIGTERM');
      await deployed.exit();
    }
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
      // A browser sends the origin in its address bar: this machine goes by either name.
      const byAddress = started.websiteUrl.replace('localhost', '127.0.0.1');
      const fromAddress = await fetch(`${started.apiUrl}/messages`, {
        headers: { origin: byAddress },
      });
      expect(fromAddress.headers.get('access-control-allow-origin')).toBe(byAddress);
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

  it('runs as the chosen stage with its monitoring loop: the monitor, the canaries, the emails, and nothing left on disk with --in-memory', async () => {
    const localDir = path.join(work, 'local');
    const tmp = path.join(work, 'tmp');
    fs.mkdirSync(tmp);
    const ports = await freePortsEnv();
    const env = { ...ports, MSGS_LOCAL_DIR: localDir, DYNAMODB_LOCAL_DIR, TMPDIR: tmp };
    const started = await startUntilReady(
      ['--in-memory', '--stage', 'prod', '--time-scale', '120'],
      env,
      'node',
      true,
    );
    const terminal = () => started.output.join('\n');
    const monitorUrl = /Monitor:\s+(\S+)/.exec(terminal())?.[1] ?? '';
    const outboxDir = /Outbox:\s+(\S+)/.exec(terminal())?.[1] ?? '';

    expect(terminal()).toContain('(table msgs-prod-messages, in memory)');
    expect(terminal()).toContain(
      "prod's dashboard, alarms and canary runs; 120 simulated seconds a second",
    );
    expect(terminal()).toContain(
      '  Canaries: msgs-prod-website every 30 s, msgs-prod-api every 3.0 s of real time; a run that outlasts its interval delays the next one (none is skipped) and the alarms wait for it',
    );
    expect(monitorUrl).toBe(`http://127.0.0.1:${ports.MONITOR_PORT}`);
    expect(
      ((await (await fetch(`${monitorUrl}/api/dashboard`)).json()) as { name: string }).name,
    ).toBe('msgs-prod-health');
    await started.waitForLine(/^CANARY \[sim \d\d:\d\d\] msgs-prod-api passed \(8 steps/);
    await started.waitForLine(
      /^EMAIL {2}\[sim \d\d:\d\d\] OK: "msgs-prod-site-down" in US East \(N\. Virginia\) to you@localhost: /,
    );
    expect(outboxDir.startsWith(tmp)).toBe(true);
    expect(fs.readdirSync(outboxDir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/-msgs-prod-site-down-OK-you@localhost\.eml$/),
      ]),
    );
    const everything = processTree(started.process.pid!);
    started.process.kill('SIGTERM');
    expect(await started.exit()).toBe(0);

    expect(fs.existsSync(localDir)).toBe(false);
    // In memory, the emails go with the data.
    expect(leftIn(tmp)).toEqual([]);
    expect(await waitUntilGone(everything, 10_000)).toEqual([]);
  }, 90_000);

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops on %s in the middle of a website canary run: every process gone (Chromium, the JVM, the function), nothing left in TMPDIR',
    async (signal) => {
      const tmp = path.join(work, 'tmp');
      fs.mkdirSync(tmp);
      const started = await startUntilReady(
        ['--in-memory', '--stage', 'prod'],
        { ...(await freePortsEnv()), TMPDIR: tmp },
        'node',
        true,
      );
      // The website canary's first call to the API: its browser is on the page, mid-run.
      await started.waitForLine(/\[canary-msgs-prod-website-/);
      const everything = processTree(started.process.pid!);
      const jvms = jvmsIn(everything);
      expect(jvms).toHaveLength(1);
      expect(everything.some((pid) => commandOf(pid).includes('chromium'))).toBe(true);
      // DynamoDB Local unpacks its SQLite library into the JVM's temporary folder, which is not
      // TMPDIR unless it is told, and never removes it.
      const libraries = fs
        .readFileSync(`/proc/${jvms[0]}/maps`, 'utf8')
        .split('\n')
        .map((line) => line.split(/\s+/).slice(5).join(' '))
        .filter((file) => /sqlite4java/.test(file));
      expect(libraries.length).toBeGreaterThan(0);
      for (const library of libraries) expect(library.startsWith(`${tmp}/`)).toBe(true);

      started.process.kill(signal);

      expect(await started.exit()).toBe(0);
      expect(await waitUntilGone(everything, 10_000)).toEqual([]);
      expect(leftIn(tmp)).toEqual([]);
      // The JVM writes its counters to /tmp whatever TMPDIR says, unless told not to.
      for (const jvm of jvms)
        expect(
          fs.existsSync(path.join('/tmp', `hsperfdata_${os.userInfo().username}`, `${jvm}`)),
        ).toBe(false);
    },
    90_000,
  );

  it("starts dev as a new stage with --new-stage: its website canary first runs at its next 00:30 or 12:30, and until then no ALARM email but the deploy alarm's", async () => {
    const ports = await freePortsEnv();
    const started = await startUntilReady(
      ['--in-memory', '--stage', 'dev', '--new-stage', '--time-scale', '3600'],
      { ...ports, DYNAMODB_LOCAL_DIR },
      'node',
      true,
    );
    const outboxDir = /Outbox:\s+(\S+)/.exec(started.output.join('\n'))?.[1] ?? '';

    const firstRun = await started.waitForLine(
      /^CANARY \[sim (\d\d):(\d\d)\] msgs-dev-website passed/,
      60_000,
    );
    // The hours after the deploy end (12 h 9 min after the release, and the 2 minutes the
    // engine reads more): a canary still silent then would turn "site down" to ALARM.
    const ended = await started.waitForLine(
      /^ALARM {2}\[sim (\d\d):\d\d\] msgs-dev-deployed-recently: ALARM -> OK/,
      60_000,
    );
    // Evaluated past its minute's wait: the API canary's next run, at the next even hour, is
    // only evaluated once every evaluation before it has been.
    const hour = (2 * Math.floor(Number(/\[sim (\d\d)/.exec(ended)![1]) / 2) + 2) % 24;
    await started.waitForLine(
      new RegExp(`^CANARY \\[sim ${String(hour).padStart(2, '0')}:00\\] msgs-dev-api passed`),
      60_000,
    );
    // In memory, the outbox goes with the data at stop: read it first.
    const alarmEmails = fs.readdirSync(outboxDir).filter((file) => /-ALARM-/.test(file));
    started.process.kill('SIGTERM');
    expect(await started.exit()).toBe(0);

    expect(firstRun).toMatch(/^CANARY \[sim (00|12):30\]/);
    // Not vacuous: the website canary first ran while the deploy was still recent.
    expect(started.output.indexOf(firstRun)).toBeLessThan(started.output.indexOf(ended));
    expect(started.output.join('\n')).toContain(
      'Deploy alarm released (npm run deploy-alarm -- dev clear).',
    );
    expect(alarmEmails).toEqual([
      expect.stringMatching(/-msgs-dev-deploy-in-progress-ALARM-you@localhost\.eml$/),
    ]);
  }, 120_000);

  it.each([
    [['--stage', 'qa'], '--stage "qa" is not a stage; use dev or prod'],
    [
      ['--time-scale', '0'],
      '--time-scale "0" is out of range: simulated seconds per real second, above 0 and at most 3600',
    ],
    [['--time-scale', 'fast'], '--time-scale "fast" is not a decimal number'],
    [['--time-scale', '0x10'], '--time-scale "0x10" is not a decimal number'],
    [['--time-scale', ' 60'], '--time-scale " 60" is not a decimal number'],
    [['--time-scale', '60', '--time-scale', '1'], '--time-scale is given twice'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['dev'], "Unexpected argument 'dev'"],
    [['--data-dir'], "Option '--data-dir <value>' argument missing"],
    [
      ['--data-dir', os.tmpdir()],
      '--in-memory keeps nothing on disk and --data-dir says where to: give one',
    ],
    [['--log-file', os.tmpdir()], `--log-file ${os.tmpdir()} is a folder; give a file`],
    [
      ['--new-stage', '--no-monitor'],
      '--new-stage starts the monitoring loop as a new stage: not with --no-monitor or a deployed API',
    ],
  ])('refuses %j with the problem and the usage line, exit 2', async (args, message) => {
    const { code, output } = await runScript(
      'start',
      ['--in-memory', ...args],
      await freePortsEnv(),
    );
    expect(code).toBe(2);
    const [said, usage, ...rest] = output.trimEnd().split('\n');
    expect(said).toContain(message);
    expect(usage).toMatch(/^Usage: npm start -- /);
    expect(rest).toEqual([]);
  });

  // Node's recursive mkdir never returns for a folder under /proc: mkdir says ENOENT, its parent
  // exists, and it tries again, forever (at full CPU, deaf to signals). A file where a folder is
  // needed, and a file system that refuses new entries (/sys), are the other ways a path fails.
  it.each([
    ['--outbox', ['--in-memory', '--outbox', '/proc/msgs-nope'], '/proc/msgs-nope'],
    ['--outbox', ['--in-memory', '--outbox', 'FILE/outbox'], 'FILE/outbox'],
    ['--data-dir', ['--no-monitor', '--data-dir', '/proc/msgs-nope'], '/proc/msgs-nope'],
    ['--data-dir', ['--no-monitor', '--data-dir', 'FILE'], 'FILE'],
    ['--data-dir', ['--no-monitor', '--data-dir', '/sys/msgs-nope'], '/sys/msgs-nope'],
    [
      '--log-file',
      ['--in-memory', '--no-monitor', '--log-file', '/proc/msgs-nope/lambda.log'],
      '/proc/msgs-nope/lambda.log',
    ],
    [
      '--log-file',
      ['--in-memory', '--no-monitor', '--log-file', '/proc/msgs-nope.log'],
      '/proc/msgs-nope.log',
    ],
    [
      '--log-file',
      ['--in-memory', '--no-monitor', '--log-file', 'FILE/lambda.log'],
      'FILE/lambda.log',
    ],
  ])(
    'refuses %s %j that cannot be created at once, naming the option and the path, exit 2',
    async (option, args, shown) => {
      const file = path.join(work, 'a-file');
      fs.writeFileSync(file, 'not a folder');
      const { code, output } = await runScript(
        'start',
        args.map((arg) => arg.replace('FILE', file)),
        await freePortsEnv(),
        { killAfterMs: 20_000 },
      );

      expect({ code, output }).toEqual({ code: 2, output: expect.any(String) });
      const [said, usage, ...rest] = output.trimEnd().split('\n');
      expect(said).toContain(`${option} ${shown.replace('FILE', file)}: `);
      expect(usage).toMatch(/^Usage: npm start -- /);
      expect(rest).toEqual([]);
    },
    30_000,
  );

  it('names MSGS_LOCAL_DIR when the folder it points to cannot be created, exit 2', async () => {
    const { code, output } = await runScript(
      'start',
      ['--no-monitor'],
      { ...(await freePortsEnv()), MSGS_LOCAL_DIR: '/proc/msgs-nope' },
      { killAfterMs: 20_000 },
    );

    expect(code).toBe(2);
    expect(output).toContain('MSGS_LOCAL_DIR=/proc/msgs-nope: ');
  }, 30_000);

  // tsx makes its compile cache in TMPDIR with Node's recursive mkdir, before any script runs.
  it('refuses a TMPDIR it cannot use at once, naming it, exit 2', async () => {
    const npm = npmRun('start', ['--in-memory'], {
      ...(await freePortsEnv()),
      TMPDIR: '/proc/msgs-nope',
    });
    const killer = setTimeout(() => npm.child.kill('SIGKILL'), 20_000);

    const code = await npm.exited;
    clearTimeout(killer);

    expect(code).toBe(2);
    expect(npm.output()).toContain(
      'TMPDIR=/proc/msgs-nope: the temporary folder cannot be used (ENOENT',
    );
  }, 30_000);

  it.each(['0x50', '1e3', '65536', '-1'])(
    'refuses WEBSITE_PORT=%s before starting anything, exit 2',
    async (port) => {
      const { code, output } = await runScript('start', ['--in-memory'], {
        ...(await freePortsEnv()),
        WEBSITE_PORT: port,
      });

      expect(code).toBe(2);
      const [said, usage, ...rest] = output.trimEnd().split('\n');
      expect(said).toBe(`WEBSITE_PORT="${port}" is not a port number (0-65535)`);
      expect(usage).toMatch(/^Usage: npm start -- /);
      expect(rest).toEqual([]);
    },
  );

  it('lists the default ports at the end of --help', async () => {
    const { code, output } = await runScript('start', ['--help']);

    expect(code).toBe(0);
    expect(output).toContain(
      `Default ports: WEBSITE_PORT ${LOCAL_PORTS.website}, API_PORT ${LOCAL_PORTS.api}, DYNAMODB_PORT ${LOCAL_PORTS.dynamodb}, MONITOR_PORT ${LOCAL_PORTS.monitor}`,
    );
  });

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

  it('refuses a malformed --api-url, exit 2', async () => {
    const { code, output } = await runScript(
      'start',
      ['--api-url', 'not a url'],
      await freePortsEnv(),
    );
    expect(code).toBe(2);
    expect(output).toContain('--api-url "not a url" is not an http(s) URL');
    expect(output).toContain('Usage: npm start -- ');
  });

  it('names MSGS_API_URL when it is the malformed URL, exit 2', async () => {
    const { code, output } = await runScript('start', [], {
      ...(await freePortsEnv()),
      MSGS_API_URL: 'not a url',
    });
    expect(code).toBe(2);
    expect(output).toContain('MSGS_API_URL "not a url" is not an http(s) URL');
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
