/**
 * This app's way past a runtime's deprecation date: an environment variable that main.ts reads
 * and the policy rules name in their refusal, so that whoever meets the refusal learns the way.
 */
import { datedRuntimes, type RuntimeOverride } from '@monitored/terraform-policy';
import { ConfigError } from '../config';

/** The variable naming the runtimes (comma-separated) a synth accepts past their deprecation date. */
export const ACCEPT_DEPRECATED_RUNTIMES = 'ACCEPT_DEPRECATED_RUNTIMES';

/** How the refusal tells a person to accept a runtime here. */
export const RUNTIME_OVERRIDE: RuntimeOverride = {
  name: ACCEPT_DEPRECATED_RUNTIMES,
  example: (runtime) => `${ACCEPT_DEPRECATED_RUNTIMES}=${runtime} npx cdktf destroy <stack>`,
};

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
