import { ConfigError } from '../config';
import { SYNTHETICS_RUNTIMES } from '@monitored/cloudwatch-model';
import { RUNTIME_DEPRECATION } from './rules/lambda-runtime-supported';

/** Every runtime the dated lists know: Lambda's and Synthetics'. */
export function datedRuntimes(): string[] {
  return [...Object.keys(RUNTIME_DEPRECATION), ...SYNTHETICS_RUNTIMES.map(({ name }) => name)];
}

/**
 * Parses a comma-separated list of runtimes to accept past their deprecation date (empty when
 * unset). A name the dated lists do not know is refused: a typo would otherwise accept nothing,
 * and the synth would fail with the very refusal the variable was set to pass.
 */
export function parseAcceptedRuntimes(raw: string | undefined, variable: string): string[] {
  const runtimes = (raw ?? '')
    .split(',')
    .map((runtime) => runtime.trim())
    .filter((runtime) => runtime.length > 0);
  const known = datedRuntimes();
  const unknown = runtimes.find((runtime) => !known.includes(runtime));
  if (unknown !== undefined) {
    throw new ConfigError(
      variable,
      unknown,
      'a runtime of the dated lists (expected e.g. nodejs22.x or syn-nodejs-puppeteer-15.0, comma-separated)',
    );
  }
  return runtimes;
}
