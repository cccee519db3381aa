/**
 * Runs the bundled handler the way Lambda's Node.js runtime does, in a child process of the local
 * system: its own environment, one InvokeStore context per invocation (as the runtime gives
 * concurrent invocations), JSON lines on stdout. The parent sends events over IPC.
 *
 * It also writes the platform's own lines around each invocation (`platform.start`,
 * `platform.report`) on the same stream, so that they frame the handler's lines as on Lambda.
 *
 * Usage (by local/local-function.ts):
 *   node --import tsx local/lambda-host.ts <bundle>/index.js <system log level>
 */
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';
import {
  platformReport,
  platformStart,
  writesInvocationLines,
  type SystemLogLevel,
} from './platform-log';

export interface InvokeRequest {
  readonly id: number;
  readonly event: unknown;
  readonly context: Omit<Context, 'getRemainingTimeInMillis' | 'done' | 'fail' | 'succeed'> & {
    deadlineMs: number;
  };
}

export type InvokeReply =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: { errorType: string; errorMessage: string } };

type Handler = (event: unknown, context: Context) => Promise<unknown>;

function sendToParent(message: InvokeReply | { ready: true } | { initError: string }): void {
  process.send?.(message);
}

function writeLine(entry: object): void {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}

/** The most memory this environment has held, in MB, as Lambda's "Max Memory Used". */
function maxMemoryUsedMB(): number {
  return Math.ceil(process.resourceUsage().maxRSS / 1024);
}

function logRuntimeError(
  requestId: string | undefined,
  error: unknown,
  message: string,
): { errorType: string; errorMessage: string } {
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  // The shape Lambda's runtime writes for an uncaught error when the log format is JSON.
  process.stdout.write(
    `${JSON.stringify({
      timestamp: new Date().toISOString(),
      level: 'ERROR',
      requestId,
      message,
      errorType,
      errorMessage,
      stackTrace: error instanceof Error ? (error.stack ?? '').split('\n') : [],
    })}\n`,
  );
  return { errorType, errorMessage };
}

/**
 * With the JSON log format, Lambda's runtime turns each console call into a JSON line with the
 * level and request id; Powertools writes its own JSON and bypasses this.
 */
function patchConsoleAsLambdaDoes(store: { getRequestId(): string }): void {
  const levels = [
    ['debug', 'DEBUG'],
    ['log', 'INFO'],
    ['info', 'INFO'],
    ['warn', 'WARN'],
    ['error', 'ERROR'],
    ['trace', 'TRACE'],
  ] as const satisfies readonly (readonly [keyof Console, string])[];
  for (const [method, level] of levels) {
    console[method] = (...args: unknown[]) => {
      const message = args
        .map((arg) =>
          typeof arg === 'string' ? arg : arg instanceof Error ? arg.stack : JSON.stringify(arg),
        )
        .join(' ');
      process.stdout.write(
        `${JSON.stringify({ timestamp: new Date().toISOString(), level, requestId: store.getRequestId(), message })}\n`,
      );
    };
  }
}

async function main(bundlePath: string, systemLogLevel: SystemLogLevel): Promise<void> {
  const platformLines = writesInvocationLines(systemLogLevel);
  const memorySizeMB = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  const version = process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST';
  // Set up before the handler loads, as the runtime does: Powertools finds it on globalThis.
  const store = await InvokeStore.getInstanceAsync();
  patchConsoleAsLambdaDoes(store);
  let handler: Handler;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = (require(bundlePath) as { handler: Handler }).handler;
  } catch (error: unknown) {
    const { errorMessage } = logRuntimeError(undefined, error, 'Runtime.ImportModuleError');
    sendToParent({ initError: errorMessage });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  // The environment's init (runtime start and the handler's module) is reported with its first invocation.
  let unreportedInitMs: number | undefined = performance.now();
  process.on('message', (request: InvokeRequest) => {
    const { deadlineMs, ...fields } = request.context;
    const context = {
      ...fields,
      getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
    } as Context;
    const initDurationMs = unreportedInitMs;
    unreportedInitMs = undefined;
    if (platformLines) writeLine(platformStart(context.awsRequestId, version, new Date()));
    const started = performance.now();
    const report = (failed: boolean) => {
      if (!platformLines) return;
      const measures = {
        requestId: context.awsRequestId,
        durationMs: performance.now() - started,
        memorySizeMB,
        maxMemoryUsedMB: maxMemoryUsedMB(),
        initDurationMs,
        failed,
      };
      writeLine(platformReport(measures, new Date()));
    };
    const invoke = () => handler(request.event, context);
    Promise.resolve(
      store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, invoke),
    )
      .then((result) => {
        report(false);
        sendToParent({ id: request.id, result });
      })
      .catch((error: unknown) => {
        const reply = logRuntimeError(context.awsRequestId, error, 'Invoke Error');
        report(true);
        sendToParent({ id: request.id, error: reply });
      });
  });
  // An execution environment does not outlive the system that runs it.
  process.on('disconnect', () => process.exit(0));
  sendToParent({ ready: true });
}

void main(process.argv[2], (process.argv[3] ?? 'INFO') as SystemLogLevel);
