import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'puppeteer-core';
import type { CanaryBundle } from '../bundling/canaries';
import { readZip } from '../bundling/zip';
import type { Synthetics, SyntheticsLogger } from '../canaries/runtime';
import { SYNTHETICS_MODULES, type CanaryName } from '../contract/canaries';
import { namePrefix } from '../stacks/shared/naming';
import { stageNames } from '../stacks/shared/stage-names';
import { launchChromium, type LaunchedChromium } from './chromium';
import type { CanaryRun, LogLevel, StepResult } from '@monitored/cloudwatch-local';
import { temporaryDir } from './temp-space';

// What a run gives the scheduler that runs it (@monitored/cloudwatch-local's canary scheduler).
export type { CanaryRun, LogLevel, StepResult };

export interface RunCanaryOptions {
  readonly canaryName: string;
  /** The run_config environment variables the stack sets. */
  readonly environment: Record<string, string>;
  /**
   * How long the run may take (the canary's run_config timeout); past it the run fails, as the
   * runtime ends a run that times out. The script goes on in the background until its own
   * timeouts end it, and its browser is closed then. @default no limit
   */
  readonly timeoutMs?: number;
  /** Each line the run logs, as it is written: the script's, and the runtime's around each step. */
  readonly onLog?: (level: LogLevel, message: string) => void;
  /**
   * Ends the run at once when aborted (the system is stopping): it fails in the step it is in,
   * its browser is closed, and its folder removed, before the run resolves.
   */
  readonly signal?: AbortSignal;
}

/**
 * The name a canary runs under outside a stage (`npm run canary`, the benchmark): named as the
 * stacks name it, with `local` in the stage's place (`msgs-local-api`).
 */
export function localCanaryName(canary: CanaryName): string {
  return stageNames(namePrefix('local')).canary(canary);
}

type Runtimes = Map<string, { synthetics: Synthetics; log: SyntheticsLogger }>;

declare global {
  /**
   * The runtimes of the runs under way, by their folder: each run's modules read their own, so
   * that runs going on at once (the loop runs every canary of a stage on its own schedule) never
   * see each other's library. On globalThis because the modules put beside a run's script are
   * plain files that cannot import this one; a `var`, as only those become globalThis's properties.
   */
  var msgsLocalSyntheticsRuntimes: Runtimes | undefined;
}
const RUNTIMES_GLOBAL = 'msgsLocalSyntheticsRuntimes';
const runtimes: Runtimes = (globalThis[RUNTIMES_GLOBAL] ??= new Map());

/** A local stand-in for the Synthetics library: real Chromium through puppeteer-core, steps recorded. */
class LocalSynthetics implements Synthetics {
  readonly steps: StepResult[] = [];
  /** The step under way, and since when (performance.now()). */
  current: { readonly name: string; readonly started: number } | undefined;
  private chromium: Promise<LaunchedChromium> | undefined;
  private page: Page | undefined;

  constructor(
    private readonly canaryName: string,
    private readonly log: (level: LogLevel, message: string) => void,
    /** The run's stop: a browser still starting is killed at once. */
    private readonly signal?: AbortSignal,
  ) {}

  async getPage(): Promise<Page> {
    this.chromium ??= launchChromium([], { signal: this.signal });
    this.page ??= await (await this.chromium).browser.newPage();
    return this.page;
  }

  async executeStep<T>(stepName: string, step: () => Promise<T>): Promise<T> {
    const started = performance.now();
    this.current = { name: stepName, started };
    this.log('INFO', `Executing step: ${stepName}`);
    try {
      const result = await step();
      const durationMs = Math.round(performance.now() - started);
      this.steps.push({ name: stepName, status: 'passed', durationMs });
      this.log('INFO', `Step ${stepName} passed (${durationMs} ms)`);
      return result;
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : String(error);
      const durationMs = Math.round(performance.now() - started);
      this.steps.push({ name: stepName, status: 'failed', durationMs, error: message });
      this.log('ERROR', `Step ${stepName} failed: ${message}`);
      throw error;
    } finally {
      this.current = undefined;
    }
  }

  getCanaryName(): string {
    return this.canaryName;
  }

  getConfiguration(): { setConfig(config: Record<string, unknown>): void } {
    return { setConfig: () => undefined };
  }

  /** Closes the browser, if one was launched; a launch under way is closed once it is up. */
  async close(): Promise<void> {
    const launching = this.chromium;
    if (launching === undefined) return;
    await (await launching.catch(() => undefined))?.close();
  }
}

/** A SyntheticsLogger that records each line in `lines` and passes it to `onLog`. */
function recordingLogger(
  lines: string[],
  onLog: (level: LogLevel, message: string) => void,
): SyntheticsLogger {
  const write =
    (level: LogLevel) =>
    (message: string, ...rest: unknown[]) => {
      const text = [
        message,
        ...rest.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))),
      ].join(' ');
      lines.push(`${level} ${text}`);
      onLog(level, text);
    };
  return { info: write('INFO'), warn: write('WARN'), error: write('ERROR'), debug: write('DEBUG') };
}

/** A run ended from outside: by its timeout, or because it was stopped. */
class RunEnded extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

/** How long a run that was ended waits for its script to end too (its browser closed), to clean up. */
const SCRIPT_ENDS_WITHIN_MS = 2_000;

/**
 * Runs a canary zip as the Synthetics runtime does: unpacks it, puts `@aws/synthetics-puppeteer`
 * and `@aws/synthetics-logger` beside the script in `nodejs/node_modules/` (where the runtime's
 * layer has them; only the current names, so a journey still on the legacy `Synthetics` fails
 * here as it will once AWS drops them), sets the run's environment, and calls the handler. A run
 * passes when the handler resolves, and fails with the error of the step that threw; one that
 * fails with no failed step (its script did not load, the browser did not start) failed to
 * execute; one still going at its timeout, or when `signal` is aborted, fails in the step it is in,
 * and its browser is closed then (as the runtime ends a run's Lambda at its timeout), so that the
 * script ends too.
 */
export async function runCanary(
  bundle: CanaryBundle,
  options: RunCanaryOptions,
): Promise<CanaryRun> {
  const root = temporaryDir('canary-');
  const modules = path.join(root, 'nodejs', 'node_modules');
  for (const [name, data] of readZip(bundle.zipFile)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), data);
  }
  for (const [module, key] of [
    [SYNTHETICS_MODULES.library, 'synthetics'],
    [SYNTHETICS_MODULES.logger, 'log'],
  ]) {
    fs.mkdirSync(path.join(modules, module), { recursive: true });
    fs.writeFileSync(
      path.join(modules, module, 'index.js'),
      `module.exports = globalThis.${RUNTIMES_GLOBAL}.get(${JSON.stringify(root)}).${key};\n`,
    );
  }

  const logs: string[] = [];
  const onLog = options.onLog ?? (() => undefined);
  const library = new LocalSynthetics(options.canaryName, onLog, options.signal);
  runtimes.set(root, { synthetics: library, log: recordingLogger(logs, onLog) });
  const saved = Object.fromEntries(
    Object.keys(options.environment).map((name) => [name, process.env[name]]),
  );
  Object.assign(process.env, options.environment);
  const result = (fields: Partial<CanaryRun> & Pick<CanaryRun, 'passed'>): CanaryRun => ({
    canaryName: options.canaryName,
    steps: [...library.steps],
    logs: [...logs],
    failedToExecute: false,
    timedOut: false,
    ...fields,
  });
  const cleanUp = async () => {
    await library.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    runtimes.delete(root);
    // Each run loads the script afresh from its own folder: forget it, or every run stays in memory.
    for (const cached of Object.keys(require.cache))
      if (cached.startsWith(root)) delete require.cache[cached];
    fs.rmSync(root, { recursive: true, force: true });
  };

  let handler: () => Promise<unknown>;
  try {
    const [file, exported] = bundle.handler.split('.');
    const script = path.join(modules, `${file}.js`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = (require(script) as Record<string, unknown>)[exported];
    if (typeof loaded !== 'function')
      throw new Error(`the script exports no function "${exported}" (handler ${bundle.handler})`);
    handler = loaded as () => Promise<unknown>;
  } catch (error: unknown) {
    await cleanUp();
    const message = error instanceof Error ? error.message : String(error);
    onLog('ERROR', `Canary could not start: ${message}`);
    return result({ passed: false, error: message, failedToExecute: true });
  }

  onLog('INFO', 'Start Canary');
  let settled = false;
  const running = Promise.resolve()
    .then(handler)
    .finally(() => (settled = true));
  const { timeoutMs, signal } = options;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const ended = new Promise<never>((_, reject) => {
    if (timeoutMs !== undefined)
      timer = setTimeout(
        () => reject(new RunEnded(`Canary timed out after ${timeoutMs / 1000} s`, true)),
        timeoutMs,
      );
    onAbort = () => reject(new RunEnded('the run was stopped', false));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([running, ended]);
    onLog('INFO', 'Canary passed');
    return result({ passed: true });
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RunEnded) {
      const current = library.current;
      onLog('ERROR', current === undefined ? message : `${message}, in step ${current.name}`);
      return result({
        passed: false,
        error: current === undefined ? message : `${current.name}: ${message}`,
        timedOut: error.timedOut,
        steps: [
          ...library.steps,
          ...(current === undefined
            ? []
            : [
                {
                  name: current.name,
                  status: 'failed' as const,
                  durationMs: Math.round(performance.now() - current.started),
                  error: message,
                },
              ]),
        ],
      });
    }
    const failedStep = library.steps.some((step) => step.status === 'failed');
    onLog('ERROR', `Canary failed: ${message}`);
    return result({ passed: false, error: message, failedToExecute: !failedStep });
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    if (settled) await cleanUp();
    else {
      // Ended from outside: the browser goes now, and with it whatever the script waits for in
      // it; a script still going after that (waiting for something else) is cleaned up when it
      // ends, and its folder goes with the process's temporary folder at the latest.
      const ending = (async () => {
        await library.close().catch(() => undefined);
        let wait: NodeJS.Timeout | undefined;
        await Promise.race([
          running.catch(() => undefined),
          new Promise((resolve) => (wait = setTimeout(resolve, SCRIPT_ENDS_WITHIN_MS))),
        ]);
        clearTimeout(wait);
        if (settled) await cleanUp();
        else void running.then(cleanUp, cleanUp).catch(() => undefined);
      })();
      // A stopped run is over, browser and folder, when it resolves: the system stops after it.
      // A timed-out one resolves at its timeout, as the scheduler times it.
      if (signal?.aborted) await ending;
      else void ending.catch(() => undefined);
    }
  }
}
