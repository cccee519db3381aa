import type { Page } from 'puppeteer-core';
import { SYNTHETICS_MODULES } from '../contract/canaries';

/**
 * The parts of the CloudWatch Synthetics library the journeys use. The library's code exists only
 * in the runtime's layer: the bundle keeps `@aws/synthetics-puppeteer` and `@aws/synthetics-logger`
 * external, and the runtime (or the local runner, local/canary-runner.ts) provides them.
 */
export interface Synthetics {
  getPage(): Promise<Page>;
  executeStep<T>(stepName: string, step: () => Promise<T>): Promise<T>;
  getCanaryName(): string;
  getConfiguration(): { setConfig(config: Record<string, unknown>): void };
}

export interface SyntheticsLogger {
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
  debug(message: string, ...rest: unknown[]): void;
}

export function synthetics(): { synthetics: Synthetics; log: SyntheticsLogger } {
  return {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    synthetics: require(SYNTHETICS_MODULES.library) as Synthetics,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    log: require(SYNTHETICS_MODULES.logger) as SyntheticsLogger,
  };
}

/**
 * Reads a URL the stack sets on the canary's run, without a trailing slash; fails the run naming the
 * variable when it is missing.
 */
export function requireUrl(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Canary environment variable ${name} is not set`);
  }
  return value.replace(/\/+$/, '');
}
