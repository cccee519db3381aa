import type { PolicyRule } from '../types';

/**
 * When Lambda deprecates each runtime (no more security patches; creates are blocked some months
 * later). From https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html as read in 2026.
 */
export const RUNTIME_DEPRECATION: Readonly<Record<string, string>> = {
  'nodejs12.x': '2023-03-31',
  'nodejs14.x': '2023-12-04',
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30',
  'nodejs22.x': '2027-04-30',
  'nodejs24.x': '2028-04-30',
  'python3.7': '2023-12-04',
  'python3.8': '2024-10-14',
  'python3.9': '2025-12-15',
};

export const lambdaRuntimeSupported: PolicyRule = {
  id: 'lambda-runtime-supported',
  description: 'No function uses a deprecated or unknown Node.js or Python runtime',
  resourceTypes: ['aws_lambda_function'],
  check(fn, _stack, { today }) {
    const runtime = fn.config.runtime;
    if (typeof runtime !== 'string') return undefined;
    const deprecated = RUNTIME_DEPRECATION[runtime];
    if (deprecated === undefined) {
      return /^(nodejs|python)/.test(runtime)
        ? `runtime ${runtime} is not in the dated list of this rule`
        : undefined;
    }
    return new Date(`${deprecated}T00:00:00Z`) <= today
      ? `runtime ${runtime} was deprecated on ${deprecated}`
      : undefined;
  },
};
