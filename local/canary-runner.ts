import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { CanaryBundle } from '../bundling/canaries';
import { readZip } from '../bundling/zip';
import type { Synthetics, SyntheticsLogger } from '../canaries/runtime';
import { SYNTHETICS_MODULES } from '../contract/canaries';
import { launchChromium } from './chromium';

export interface StepResult {
  readonly name: string;
  readonly status: 'passed' | 'failed';
  readonly durationMs: number;
  readonly error?: string;
}

export interface CanaryRun {
  readonly canaryName: string;
  readonly passed: boolean;
  readonly steps: readonly StepResult[];
  /** What the script logged through the Synthetics logger, one line each: `LEVEL message`. */
  readonly logs: readonly string[];
  readonly error?: string;
}

export interface RunCanaryOptions {
  readonly canaryName: string;
  /** The run_config environment variables the stack sets. */
  readonly environment: Record<string, string>;
}

const RUNTIME = Symbol.for('msgs.localSyntheticsRuntime');

/** A local stand-in for the Synthetics library: real Chromium through puppeteer-core, steps recorded. */
class LocalSynthetics implements Synthetics {
  readonly steps: StepResult[] = [];
  private chromium: Promise<{ browser: Browser; close(): Promise<void> }> | undefined;
  private page: Page | undefined;

  constructor(private readonly canaryName: string) {}

  async getPage(): Promise<Page> {
    this.chromium ??= launchChromium();
    this.page ??= await (await this.chromium).browser.newPage();
    return this.page;
  }

  async executeStep<T>(stepName: string, step: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await step();
      this.steps.push({
        name: stepName,
        status: 'passed',
        durationMs: Math.round(performance.now() - started),
      });
      return result;
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : String(error);
      this.steps.push({
        name: stepName,
        status: 'failed',
        durationMs: Math.round(performance.now() - started),
        error: message,
      });
      throw error;
    }
  }

  getCanaryName(): string {
    return this.canaryName;
  }

  getConfiguration(): { setConfig(config: Record<string, unknown>): void } {
    return { setConfig: () => undefined };
  }

  async close(): Promise<void> {
    await (await this.chromium)?.close();
  }
}

/** A SyntheticsLogger that records each line in `lines`. */
function recordingLogger(lines: string[]): SyntheticsLogger {
  const write =
    (level: string) =>
    (message: string, ...rest: unknown[]) =>
      lines.push(
        [
          level,
          message,
          ...rest.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))),
        ].join(' '),
      );
  return { info: write('INFO'), warn: write('WARN'), error: write('ERROR'), debug: write('DEBUG') };
}

/**
 * Runs a canary zip as the Synthetics runtime does: unpacks it, puts `@aws/synthetics-puppeteer`
 * and `@aws/synthetics-logger` beside the script in `nodejs/node_modules/` (where the runtime's
 * layer has them; only the current names, so a journey still on the legacy `Synthetics` fails
 * here as it will once AWS drops them), sets the run's environment, and calls the handler. A run passes when the handler
 * resolves, and fails with the error of the step that threw.
 */
export async function runCanary(
  bundle: CanaryBundle,
  options: RunCanaryOptions,
): Promise<CanaryRun> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-'));
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
      `module.exports = globalThis[Symbol.for('msgs.localSyntheticsRuntime')].${key};\n`,
    );
  }

  const logs: string[] = [];
  const library = new LocalSynthetics(options.canaryName);
  const global = globalThis as unknown as Record<symbol, unknown>;
  global[RUNTIME] = { synthetics: library, log: recordingLogger(logs) };
  const saved = Object.fromEntries(
    Object.keys(options.environment).map((name) => [name, process.env[name]]),
  );
  Object.assign(process.env, options.environment);
  try {
    const [file, exported] = bundle.handler.split('.');
    const script = path.join(modules, `${file}.js`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const handler = (require(script) as Record<string, () => Promise<unknown>>)[exported];
    await handler();
    return { canaryName: options.canaryName, passed: true, steps: library.steps, logs };
  } catch (error: unknown) {
    return {
      canaryName: options.canaryName,
      passed: false,
      steps: library.steps,
      logs,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    await library.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    delete global[RUNTIME];
    fs.rmSync(root, { recursive: true, force: true });
  }
}
