import { fork, type ChildProcess } from 'node:child_process';
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
}

const HOST = path.join(__dirname, 'lambda-host.ts');

/**
 * The bundled handler in a child process with Lambda's environment variables. Starts on first use
 * (a cold start), and again after a crash, as Lambda replaces a failed execution environment.
 */
export class LocalFunction {
  private child: ChildProcess | undefined;
  private ready: Promise<ChildProcess> | undefined;
  private readonly pending = new Map<number, Pending>();
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
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) readline.createInterface({ input: stream }).on('line', this.options.onLogLine);
    }
    child.on('message', (message: InvokeReply) => {
      if (!('id' in message)) return;
      const waiting = this.pending.get(message.id);
      if (waiting === undefined) return;
      this.pending.delete(message.id);
      clearTimeout(waiting.timer);
      if ('error' in message)
        waiting.reject(new FunctionError(message.error.errorType, message.error.errorMessage));
      else waiting.resolve(message.result);
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) {
        this.child = undefined;
        this.ready = undefined;
      }
      for (const [id, waiting] of this.pending) {
        clearTimeout(waiting.timer);
        waiting.reject(
          new FunctionError('Runtime.ExitError', `Runtime exited (code ${code}, signal ${signal})`),
        );
        this.pending.delete(id);
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
    this.ready ??= this.start();
    const child = await this.ready.catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    const id = this.nextId++;
    const { functionName, region } = this.options;
    const { timeoutSeconds, memoryMb } = this.options.settings;
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
        deadlineMs: Date.now() + timeoutSeconds * 1000,
      },
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.options.onLogLine(
          JSON.stringify({
            timestamp: new Date().toISOString(),
            level: 'ERROR',
            requestId: awsRequestId,
            message: `Task timed out after ${timeoutSeconds}.00 seconds`,
          }),
        );
        timing.durationMs = timeoutSeconds * 1000;
        reject(
          new FunctionError('Sandbox.Timedout', `Task timed out after ${timeoutSeconds} seconds`),
        );
      }, timeoutSeconds * 1000);
      const sent = performance.now();
      const measured =
        <T extends unknown[]>(settle: (...args: T) => void) =>
        (...args: T) => {
          timing.durationMs = performance.now() - sent;
          settle(...args);
        };
      this.pending.set(id, { resolve: measured(resolve), reject: measured(reject), timer });
      child.send(request);
    });
  }

  /** The process of the current execution environment, if one is running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Ends the child process and resolves once it has exited. */
  async stop(): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
