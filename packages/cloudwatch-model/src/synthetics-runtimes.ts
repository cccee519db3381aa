/**
 * The CloudWatch Synthetics puppeteer runtimes, dated, and the one the canaries run on. No cdktf
 * imports: the policy rule, the stack and the local runner read it alike.
 *
 * Sources (as read in late 2026):
 * - versions: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Library_nodejs_puppeteer.html
 * - deprecations: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Runtime_Support_Policy.html
 *   ("You can't create canaries using deprecated runtime versions"; AWS emails 60 days ahead)
 * - retries: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_autoretry.html
 */

export interface SyntheticsRuntime {
  readonly name: string;
  /** Lambda's Node.js major and the puppeteer-core it ships, where AWS still documents them. */
  readonly node?: number;
  readonly puppeteerCore?: string;
  /** `YYYY-MM-DD` from which no canary can be created on it; undefined while AWS names no date. */
  readonly deprecated?: string;
  /** Automatic retries of a failed run (`retry_config`), from 10.0. */
  readonly retries: boolean;
  /** `@aws/synthetics-puppeteer` and `@aws/synthetics-logger`, from 13.1. */
  readonly currentLibraryNames: boolean;
}

function runtime(
  version: string,
  details: Pick<SyntheticsRuntime, 'node' | 'puppeteerCore' | 'deprecated'>,
): SyntheticsRuntime {
  const [major, minor] = version.split('.').map(Number);
  return {
    name: `syn-nodejs-puppeteer-${version}`,
    ...details,
    retries: major >= 10,
    currentLibraryNames: major > 13 || (major === 13 && minor >= 1),
  };
}

/**
 * Every puppeteer runtime AWS documents, newest first. AWS's layer tables also name 15.1, 16.0,
 * 16.1 and 17.0, but their Node.js and puppeteer versions are not documented yet: they stay out
 * (and fail synth as unknown) until they are, so that nobody pins a runtime nobody can describe.
 */
export const SYNTHETICS_RUNTIMES: readonly SyntheticsRuntime[] = [
  runtime('15.0', { node: 22, puppeteerCore: '24.37.5' }),
  runtime('14.0', { node: 22, puppeteerCore: '24.34.0' }),
  runtime('13.1', { node: 22, puppeteerCore: '24.25.0' }),
  runtime('13.0', { node: 22, puppeteerCore: '24.25.0' }),
  runtime('12.0', { node: 22, puppeteerCore: '24.22.1' }),
  runtime('11.0', { node: 20, puppeteerCore: '24.15.0' }),
  runtime('10.0', { node: 20, puppeteerCore: '24.2.0' }),
  runtime('9.1', { node: 20, puppeteerCore: '22.12.1' }),
  runtime('9.0', { node: 20, puppeteerCore: '22.12.1' }),
  runtime('8.0', { node: 20, puppeteerCore: '22.10.0' }),
  runtime('7.0', { deprecated: '2026-01-22' }),
  runtime('6.2', { deprecated: '2026-01-22' }),
  runtime('5.2', { deprecated: '2026-01-22' }),
  runtime('6.1', { deprecated: '2024-03-08' }),
  runtime('6.0', { deprecated: '2024-03-08' }),
  runtime('5.1', { deprecated: '2024-03-08' }),
  runtime('5.0', { deprecated: '2024-03-08' }),
  runtime('4.0', { deprecated: '2024-03-08' }),
  runtime('3.9', { deprecated: '2024-01-08' }),
  runtime('3.8', { deprecated: '2024-01-08' }),
];

export function syntheticsRuntime(name: string): SyntheticsRuntime | undefined {
  return SYNTHETICS_RUNTIMES.find((candidate) => candidate.name === name);
}

/**
 * The Lambda function (and its layers and log group `/aws/lambda/<function>`) Synthetics makes for
 * each canary is named `cwsyn-<first 21 characters of the canary's name>-<id>` ("Required roles
 * and permissions for canaries", CloudWatch user guide): its start, for a canary name or the start
 * of several.
 */
export function canaryFunctionNamePrefix(canaryName: string): string {
  return `${CANARY_FUNCTION_PREFIX}${canaryName.slice(0, CANARY_NAME_CHARACTERS_KEPT)}`;
}
const CANARY_FUNCTION_PREFIX = 'cwsyn-';
const CANARY_NAME_CHARACTERS_KEPT = 21;
