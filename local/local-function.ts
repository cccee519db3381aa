import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { LambdaBundle } from '../bundling/lambda';
import type { FunctionSettings } from '../contract/function';
import type { InvokeReply, InvokeRequest } from './lambda-host';
import type { SystemLogLevel } from './platform-log';

export interface LocalFunctionOptions {
  readonly functionName: string;
  readonly bundle: LambdaBundle;
  /** The function's own variables, as the stack sets them. */
  readonly environment: Record<string, string>;
  /** Level Lambda's advanced logging controls would set (AWS_LAMBDA_LOG_LEVEL). */
  readonly logLevel: string;
  /**
   * Lambda's system log level: at INFO the host writes `platform.start` and `platform.report`
   * around each invocation, as Lambda does; WARN leaves them out.
   * @default settings.systemLogLevel, as the stack deploys it
   */
  readonly systemLogLevel?: SystemLogLevel;
  readonly region: string;
  /** Runtime, memory, timeout and Node options, as the stack deploys them. */
  readonly settings: FunctionSettings;
  /**
   * Invocations the environment runs at once; more wait in line. Lambda gives each request an
   * environment of its own; one local process with a bounded number in flight keeps DynamoDB
   * Local (far slower than DynamoDB) from queueing requests past the SDK's timeouts.
   * @default 8
   */
  readonly maxConcurrency?: number;
  /**
   * The concurrency Lambda allows the function: invocations accepted and not yet finished
   * (running, or waiting for the local environment). One more is refused, as Lambda throttles:
   * a FunctionError `TooManyRequestsException` "Rate Exceeded.", which the API front answers as
   * API Gateway does, "If the Lambda API rejects the invocation request, API Gateway returns a
   * 500" (https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html).
   * @default 1000, a region's default concurrency for an account, which the stack's function shares
   * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html)
   */
  readonly reservedConcurrency?: number;
  /** Receives each line the function writes, as Lambda would send it to CloudWatch. */
  readonly onLogLine: (line: string) => void;
  /** Told of each invoke request as Lambda counts it (the local AWS/Lambda metrics). */
  readonly onInvocation?: (invocation: Invocation) => void;
}

/**
 * One invoke request as Lambda's metrics see it. `at` is when it was received (Date.now()): "the
 * timestamp on an error metric reflects when the function was invoked". A throttled request is
 * neither an invocation nor an error.
 */
export type Invocation =
  | { readonly at: number; readonly throttled: true }
  | {
      readonly at: number;
      readonly throttled: false;
      /** The function failed (threw, crashed, timed out or could not start). */
      readonly error: boolean;
      /** From the event reaching the handler to its answer; no cold start in it, as on Lambda. */
      readonly durationMs: number;
      /** Invocations under way once this one was accepted, itself included. */
      readonly concurrent: number;
    };

const DEFAULT_RESERVED_CONCURRENCY = 1000;

export class FunctionError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'FunctionError';
  }
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  /** The execution environment it was sent to. */
  readonly child: ChildProcess;
}

/**
 * How long a stop waits for the invocations under way before it ends their environment: an API
 * request the front is still waiting on gets its answer rather than a cut connection.
 */
const STOP_GRACE_MS = 1_000;

const HOST = path.join(__dirname, 'lambda-host.ts');

/**
 * Ends the process `$1` once its stdin closes: when the process that holds the other end is gone,
 * however it ended. A function process stuck in a handler's loop hears neither its IPC channel
 * close nor a signal it has a handler for; SIGKILL it cannot miss.
 */
const WATCHDOG = 'cat >/dev/null; kill -KILL "$1" 2>/dev/null';

/** A watchdog (WATCHDOG) for `child`, gone with it. */
function watch(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const watchdog = spawn('sh', ['-c', WATCHDOG, 'function-watchdog', String(child.pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    // Its own process group: a Ctrl-C to the terminal's group leaves it to this process.
    detached: true,
  });
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  // Killed, its `cat` too (its group), not told by closing its stdin: the PID it holds may be
  // another process's by then.
  child.once('exit', () => {
    try {
      process.kill(-(watchdog.pid as number), 'SIGKILL');
    } catch {
      // Gone already.
    }
    watchdog.stdin?.destroy();
  });
}

/**
 * The bundled handler in a child process with Lambda's environment variables. Starts on first use
 * (a cold start), and again after a crash or a timeout, as Lambda resets a failed execution
 * environment: "If the Lambda function crashes or times out during the Invoke phase, Lambda
 * resets the execution environment. [...] Lambda shuts down the runtime" and initializes it again
 * for the next invocation (Failures during the invoke phase,
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). Concurrent
 * invocations share one process here, where Lambda gives each an environment of its own: a
 * timed-out process takes no new invocation, lets those it still runs finish or time out, and is
 * then ended.
 */
export class LocalFunction {
  private child: ChildProcess | undefined;
  private ready: Promise<ChildProcess> | undefined;
  /** Every process still running: the current one and those retired after a timeout. */
  private readonly children = new Set<ChildProcess>();
  private readonly retired = new WeakSet<ChildProcess>();
  private readonly pending = new Map<number, Pending>();
  private readonly whenIdle: (() => void)[] = [];
  private nextId = 1;
  private stopped = false;
  private inFlight = 0;
  private accepted = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: LocalFunctionOptions) {}

  private environment(): NodeJS.ProcessEnv {
    const { options } = this;
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TZ: 'UTC',
      AWS_REGION: options.region,
      AWS_DEFAULT_REGION: options.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${options.settings.runtime}`,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      LAMBDA_TASK_ROOT: options.bundle.directory,
      AWS_LAMBDA_FUNCTION_NAME: options.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.settings.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
      AWS_LAMBDA_LOG_LEVEL: options.logLevel,
      // Concurrent invocations share this one process, so each gets its own InvokeStore context.
      AWS_LAMBDA_MAX_CONCURRENCY: String(options.maxConcurrency ?? 8),
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      NODE_OPTIONS: options.settings.nodeOptions,
      ...options.environment,
    };
  }

  private start(): Promise<ChildProcess> {
    const hostArgs = [
      path.join(this.options.bundle.directory, 'index.js'),
      this.options.systemLogLevel ?? this.options.settings.systemLogLevel,
    ];
    const child = fork(HOST, hostArgs, {
      env: this.environment(),
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Its own process group, so that a Ctrl-C stops it through the system, after the API front.
      detached: true,
    });
    this.child = child;
    this.children.add(child);
    watch(child);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) readline.createInterface({ input: stream }).on('line', this.options.onLogLine);
    }
    child.on('message', (message: InvokeReply) => {
      if (!('id' in message)) return;
      const waiting = this.pending.get(message.id);
      if (waiting === undefined) return;
      this.settled(message.id, waiting);
      if ('error' in message)
        waiting.reject(new FunctionError(message.error.errorType, message.error.errorMessage));
      else waiting.resolve(message.result);
    });
    child.once('exit', (code, signal) => {
      this.children.delete(child);
      if (this.child === child) {
        this.child = undefined;
        this.ready = undefined;
      }
      for (const [id, waiting] of this.pending) {
        if (waiting.child !== child) continue;
        this.settled(id, waiting);
        waiting.reject(
          new FunctionError('Runtime.ExitError', `Runtime exited (code ${code}, signal ${signal})`),
        );
      }
    });
    return new Promise((resolve, reject) => {
      const onMessage = (message: { ready?: true; initError?: string }) => {
        if (message.ready) {
          child.off('message', onMessage);
          resolve(child);
        } else if (message.initError !== undefined) {
          child.off('message', onMessage);
          reject(new FunctionError('Runtime.ImportModuleError', message.initError));
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code) =>
        reject(new FunctionError('Runtime.ExitError', `Runtime exited during init (code ${code})`)),
      );
    });
  }

  /** Invokes the handler with an event; rejects with a FunctionError when Lambda would report one. */
  async invoke(event: unknown, awsRequestId: string = randomUUID()): Promise<unknown> {
    const at = Date.now();
    const report = this.options.onInvocation ?? (() => undefined);
    if (this.accepted >= (this.options.reservedConcurrency ?? DEFAULT_RESERVED_CONCURRENCY)) {
      report({ at, throttled: true });
      throw new FunctionError('TooManyRequestsException', 'Rate Exceeded.');
    }
    this.accepted++;
    const concurrent = this.accepted;
    try {
      if (this.inFlight >= (this.options.maxConcurrency ?? 8)) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
      }
      this.inFlight++;
      const timing = { durationMs: 0 };
      try {
        const result = await this.invokeNow(event, awsRequestId, timing);
        report({ at, throttled: false, error: false, durationMs: timing.durationMs, concurrent });
        return result;
      } catch (error: unknown) {
        // A stopped system invokes nothing: Lambda would not have counted it either.
        if (!(error instanceof FunctionError && error.errorType === 'Runtime.Stopped'))
          report({ at, throttled: false, error: true, durationMs: timing.durationMs, concurrent });
        throw error;
      } finally {
        this.inFlight--;
        this.waiting.shift()?.();
      }
    } finally {
      this.accepted--;
    }
  }

  private async invokeNow(
    event: unknown,
    awsRequestId: string,
    timing: { durationMs: number },
  ): Promise<unknown> {
    if (this.stopped) throw new FunctionError('Runtime.Stopped', 'The local function is stopped');
    const { functionName, region } = this.options;
    const { timeoutSeconds, memoryMb } = this.options.settings;
    // One deadline for the init this invocation waits for (a cold start) and the invocation itself:
    // an init Lambda retries at an invocation runs "with the configured function timeout"
    // (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html, Init phase).
    const deadlineMs = Date.now() + timeoutSeconds * 1000;
    const timedOut = () => {
      this.options.onLogLine(
        JSON.stringify({
          timestamp: new Date().toISOString(),
          level: 'ERROR',
          requestId: awsRequestId,
          message: `Task timed out after ${timeoutSeconds}.00 seconds`,
        }),
      );
      timing.durationMs = timeoutSeconds * 1000;
      return new FunctionError(
        'Sandbox.Timedout',
        `Task timed out after ${timeoutSeconds} seconds`,
      );
    };
    this.ready ??= this.start();
    const ready = this.ready;
    const initializing = this.child;
    let initTimer: NodeJS.Timeout | undefined;
    const initEnded = new Promise<'timedOut'>((resolve) => {
      initTimer = setTimeout(() => resolve('timedOut'), deadlineMs - Date.now());
    });
    const child = await Promise.race([ready, initEnded])
      .catch((error: unknown) => {
        if (this.ready === ready) this.ready = undefined;
        throw error;
      })
      .finally(() => clearTimeout(initTimer));
    if (child === 'timedOut') {
      // An init stuck past the timeout is reset as a stuck invocation is: its process ended.
      if (initializing !== undefined) this.retire(initializing);
      throw timedOut();
    }
    const id = this.nextId++;
    const request: InvokeRequest = {
      id,
      event,
      context: {
        callbackWaitsForEmptyEventLoop: true,
        functionName,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
        memoryLimitInMB: String(memoryMb),
        awsRequestId,
        logGroupName: `/aws/lambda/${functionName}`,
        logStreamName: 'local',
        deadlineMs,
      },
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const waiting = this.pending.get(id);
        if (waiting !== undefined) this.settled(id, waiting);
        this.retire(child);
        reject(timedOut());
      }, deadlineMs - Date.now());
      const sent = performance.now();
      const measured =
        <T extends unknown[]>(settle: (...args: T) => void) =>
        (...args: T) => {
          timing.durationMs = performance.now() - sent;
          settle(...args);
        };
      this.pending.set(id, { resolve: measured(resolve), reject: measured(reject), timer, child });
      child.send(request);
    });
  }

  /** Forgets an invocation that has its answer; ends its process if that was retired and is now idle. */
  private settled(id: number, waiting: Pending): void {
    this.pending.delete(id);
    clearTimeout(waiting.timer);
    if (this.retired.has(waiting.child) && !this.runs(waiting.child)) waiting.child.kill('SIGKILL');
    if (this.pending.size === 0) for (const wake of this.whenIdle.splice(0)) wake();
  }

  private runs(child: ChildProcess): boolean {
    for (const waiting of this.pending.values()) if (waiting.child === child) return true;
    return false;
  }

  /**
   * Takes a process whose invocation timed out out of service: the next invocation starts a new
   * one (a cold start), and this one is ended (SIGKILL: a handler stuck in a loop cannot be asked)
   * once the invocations it still runs have their answers or time out.
   */
  private retire(child: ChildProcess): void {
    this.retired.add(child);
    if (this.child === child) {
      this.child = undefined;
      this.ready = undefined;
    }
    if (!this.runs(child)) child.kill('SIGKILL');
  }

  /** The process of the current execution environment, if one is running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Takes no new invocation, gives those under way up to `graceMs` to finish, then ends every
   * process and resolves once they have exited. An invocation still under way then fails with
   * Runtime.ExitError.
   */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    this.stopped = true;
    if (this.pending.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.whenIdle.push(resolve)),
        new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    await Promise.all(
      [...this.children].map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return undefined;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        return exited;
      }),
    );
  }
}
