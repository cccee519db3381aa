// @tier e2e
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleLambda, type LambdaBundle } from '../../bundling/lambda';
import { MESSAGES_FUNCTION } from '../../contract/function';
import { startApiGateway } from '../../local/api-gateway';
import { FunctionError, LocalFunction } from '../../local/local-function';
import { apiEvent, createEvent, startTestFunction } from '../support/local-function';
import { isAlive, pollUntil, waitUntilGone } from '../support/processes';

interface HangingOptions {
  readonly timeoutSeconds?: number;
  readonly onLogLine?: (line: string) => void;
}

const hangingBundles: string[] = [];
afterAll(() => {
  for (const directory of hangingBundles) fs.rmSync(directory, { recursive: true, force: true });
});

/**
 * A handler that hangs when asked to (a timeout cannot be produced with the real one), in a
 * bundle folder of its own: busy (a loop that never yields), waiting (a promise that never
 * settles), or answering once the file `waitFor` exists; it answers with its process id. While
 * the file `hang-init` is in its folder, its module never finishes loading.
 */
function hangingFunction({
  timeoutSeconds = 1,
  onLogLine = () => undefined,
}: HangingOptions = {}): { fn: LocalFunction; directory: string } {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'hanging-function-'));
  fs.writeFileSync(
    path.join(directory, 'index.js'),
    `if (require('node:fs').existsSync(__dirname + '/hang-init')) for (;;);
exports.handler = async (event) => {
  if (event.hang === 'busy') for (;;);
  if (event.hang === 'waiting') await new Promise(() => undefined);
  while (event.waitFor && !require('node:fs').existsSync(event.waitFor))
    await new Promise((resolve) => setTimeout(resolve, 20));
  return { pid: process.pid };
};`,
  );
  const bundle: LambdaBundle = {
    directory,
    zipFile: path.join(directory, 'none.zip'),
    handler: 'index.handler',
    bytes: 0,
  };
  hangingBundles.push(directory);
  const fn = new LocalFunction({
    functionName: 'msgs-test-hangs',
    bundle,
    environment: {},
    logLevel: 'INFO',
    region: 'us-west-2',
    settings: { ...MESSAGES_FUNCTION, timeoutSeconds },
    onLogLine,
  });
  return { fn, directory };
}

const pidOf = async (fn: LocalFunction, event: object) =>
  ((await fn.invoke(event)) as { pid: number }).pid;

describe('the local Lambda host', () => {
  // "If the Lambda function crashes or times out during the Invoke phase, Lambda resets the
  // execution environment. [...] Lambda shuts down the runtime. [...] If another Invoke event
  // results in this execution environment being reused, Lambda initializes the runtime [...] as
  // part of the next invocation." (Failures during the invoke phase,
  // https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html)
  it.each(['busy', 'waiting'])(
    'resets an execution environment whose invocation timed out (%s): its process ends, the next request starts a fresh one',
    async (hang) => {
      const lines: string[] = [];
      const { fn } = hangingFunction({ onLogLine: (line) => lines.push(line) });
      try {
        const first = await pidOf(fn, {});

        await expect(fn.invoke({ hang }, 'timed-out-request')).rejects.toMatchObject({
          errorType: 'Sandbox.Timedout',
        });

        expect(await waitUntilGone([first], 5_000)).toEqual([]);
        const next = await pidOf(fn, {});
        expect(next).not.toBe(first);
        expect(await pidOf(fn, {})).toBe(next);
        expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(
          expect.objectContaining({
            requestId: 'timed-out-request',
            message: 'Task timed out after 1.00 seconds',
          }),
        );
      } finally {
        await fn.stop();
      }
    },
    30_000,
  );

  // "The Init phase is limited to 10 seconds. If all three tasks do not complete within 10 seconds,
  // Lambda retries the Init phase at the time of the first function invocation with the
  // configured function timeout." (same page, Init phase)
  it('ends an init that does not finish within the function timeout, and initializes afresh for the next request', async () => {
    const { fn, directory } = hangingFunction();
    const hangInit = path.join(directory, 'hang-init');
    fs.writeFileSync(hangInit, '');
    try {
      const first = fn.invoke({});
      const initializing = fn.pid!;

      await expect(first).rejects.toMatchObject({ errorType: 'Sandbox.Timedout' });
      expect(await waitUntilGone([initializing], 5_000)).toEqual([]);
      fs.rmSync(hangInit);

      expect(await pidOf(fn, {})).not.toBe(initializing);
    } finally {
      await fn.stop();
    }
  }, 30_000);

  // Its stop, its IPC channel closing, its parent's signals: none reaches a process whose only
  // thread is stuck in a loop.
  it('ends a function process stuck in a loop when the process that started it is killed (SIGKILL)', async () => {
    const { directory } = hangingFunction();
    const parent = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { LocalFunction } = require('./local/local-function');
const { MESSAGES_FUNCTION } = require('./contract/function');
const fn = new LocalFunction({
  functionName: 'msgs-test-hangs',
  bundle: { directory: ${JSON.stringify(directory)}, zipFile: '', handler: 'index.handler', bytes: 0 },
  environment: {},
  logLevel: 'INFO',
  region: 'us-west-2',
  settings: { ...MESSAGES_FUNCTION, timeoutSeconds: 600 },
  onLogLine: (line) => { if (line.includes('platform.start')) console.log('stuck ' + fn.pid); },
});
fn.invoke({ hang: 'busy' }).catch(() => undefined);`,
      ],
      { cwd: path.resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const stuck = await new Promise<number>((resolve, reject) => {
      parent.stdout.on('data', (chunk: Buffer) => {
        const pid = /stuck (\d+)/.exec(chunk.toString())?.[1];
        if (pid !== undefined) resolve(Number(pid));
      });
      parent.once('exit', () => reject(new Error('the parent exited first')));
    });
    try {
      parent.kill('SIGKILL');

      expect(await waitUntilGone([stuck], 5_000)).toEqual([]);
    } finally {
      if (isAlive(stuck)) process.kill(stuck, 'SIGKILL');
    }
  }, 30_000);

  it('lets the other invocations under way in a timed-out environment finish there, then ends it', async () => {
    const { fn, directory } = hangingFunction({ timeoutSeconds: 3 });
    const release = path.join(directory, 'release');
    try {
      const old = await pidOf(fn, {});
      const timingOut = fn.invoke({ hang: 'waiting' });
      // Sent half-way through the other one's 3 s, so that it is still under way, with time to
      // spare, when that one times out.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const underWay = fn.invoke({ waitFor: release }) as Promise<{ pid: number }>;

      await expect(timingOut).rejects.toMatchObject({ errorType: 'Sandbox.Timedout' });
      const meanwhile = await pidOf(fn, {});
      fs.writeFileSync(release, '');

      expect(meanwhile).not.toBe(old);
      expect((await underWay).pid).toBe(old);
      expect(await waitUntilGone([old], 5_000)).toEqual([]);
      expect(await pidOf(fn, {})).toBe(meanwhile);
    } finally {
      await fn.stop();
    }
  }, 30_000);

  it('replaces a crashed execution environment on the next request, as Lambda does', async () => {
    const fn = await startTestFunction();
    try {
      expect((await fn.invoke(createEvent({ message: 'before the crash' }))).statusCode).toBe(201);
      const first = fn.fn.pid as number;
      process.kill(first, 'SIGKILL');
      expect(await waitUntilGone([first], 10_000)).toEqual([]);
      // The next request is one the host receives after it has seen the crash: a process is a
      // zombie, gone for the kernel, a moment before its parent hears of it.
      expect(await pollUntil(() => fn.fn.pid === undefined, 10_000)).toBe(true);
      const event = apiEvent();
      const after = await fn.invoke(event);
      expect(after.statusCode).toBe(200);
      expect(JSON.parse(after.body)).toEqual({ count: 1 });
      expect(fn.fn.pid).not.toBe(first);
      const line = await fn.waitForLog(
        (entry) =>
          entry.message === 'request' && entry.correlation_id === event.requestContext.requestId,
      );
      expect(line.cold_start).toBe(true);
    } finally {
      await fn.fn.stop();
    }
  });

  it('writes platform.start and platform.report around each invocation, as Lambda does with JSON logs at system level INFO', async () => {
    const fn = await startTestFunction();
    try {
      const first = apiEvent();
      const second = apiEvent();
      await fn.invoke(first);
      await fn.invoke(second);
      // The platform's lines carry Lambda's request id, which the handler logs as function_request_id.
      const lambdaRequestId = async (event: typeof first) =>
        (
          await fn.waitForLog(
            (entry) =>
              entry.message === 'request' &&
              entry.correlation_id === event.requestContext.requestId,
          )
        ).function_request_id;
      const reportOf = async (event: typeof first) => {
        const requestId = await lambdaRequestId(event);
        return fn.waitForLog(
          (entry) =>
            entry.type === 'platform.report' &&
            (entry.record as { requestId?: unknown }).requestId === requestId,
        );
      };
      const coldReport = await reportOf(first);
      const warmReport = await reportOf(second);

      // The documented shape (Telemetry API schema reference, platform.report).
      expect(coldReport).toEqual({
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        type: 'platform.report',
        record: {
          requestId: await lambdaRequestId(first),
          metrics: {
            durationMs: expect.any(Number),
            billedDurationMs: expect.any(Number),
            memorySizeMB: MESSAGES_FUNCTION.memoryMb,
            maxMemoryUsedMB: expect.any(Number),
            initDurationMs: expect.any(Number),
          },
          status: 'success',
        },
      });
      const cold = (coldReport.record as { metrics: Record<string, number> }).metrics;
      expect(cold.billedDurationMs).toBe(Math.ceil(cold.durationMs + cold.initDurationMs));
      expect(cold.maxMemoryUsedMB).toBeGreaterThan(0);
      const warm = (warmReport.record as { metrics: Record<string, number> }).metrics;
      expect(warm).not.toHaveProperty('initDurationMs');
      expect(warm.billedDurationMs).toBe(Math.ceil(warm.durationMs));

      // START comes before the handler's lines of the same invocation, REPORT after them.
      const requestId = await lambdaRequestId(first);
      const ofFirst = fn
        .logEntries()
        .filter(
          (entry) =>
            (entry.record as { requestId?: unknown } | undefined)?.requestId === requestId ||
            entry.function_request_id === requestId,
        )
        .map((entry) => entry.type ?? entry.message);
      expect(ofFirst[0]).toBe('platform.start');
      expect(ofFirst.at(-1)).toBe('platform.report');
      expect(ofFirst).toContain('request');
    } finally {
      await fn.fn.stop();
    }
  });

  it('writes no platform lines at system log level WARN', async () => {
    const fn = await startTestFunction(undefined, undefined, { systemLogLevel: 'WARN' });
    try {
      const event = apiEvent();
      expect((await fn.invoke(event)).statusCode).toBe(200);
      await fn.waitForLog(
        (entry) =>
          entry.message === 'request' && entry.correlation_id === event.requestContext.requestId,
      );
      expect(fn.logEntries().filter((entry) => entry.type !== undefined)).toEqual([]);
    } finally {
      await fn.fn.stop();
    }
  });

  it('reports an init failure (missing TABLE_NAME) as Runtime.ImportModuleError, and API Gateway answers 500', async () => {
    const lines: string[] = [];
    const fn = new LocalFunction({
      functionName: 'msgs-test-broken',
      bundle: bundleLambda(),
      environment: {},
      logLevel: 'INFO',
      region: 'us-west-2',
      settings: MESSAGES_FUNCTION,
      onLogLine: (line) => lines.push(line),
    });
    const gateway = await startApiGateway({
      port: 0,
      allowedOrigins: [],
      invoke: (event) => fn.invoke(event),
    });
    try {
      await expect(fn.invoke(apiEvent())).rejects.toEqual(
        expect.objectContaining({ errorType: 'Runtime.ImportModuleError' }),
      );
      await expect(fn.invoke(apiEvent())).rejects.toBeInstanceOf(FunctionError);
      expect(lines.join('\n')).toContain('Environment variable TABLE_NAME is not set');
      const response = await fetch(`${gateway.url}/messages`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    } finally {
      await gateway.stop();
      await fn.stop();
    }
  });
});
