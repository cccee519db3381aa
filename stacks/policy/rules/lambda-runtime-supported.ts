import { daysUntil, DEPRECATION_WARNING_DAYS, deprecationWarning } from '../deprecation';
import type { PolicyRule, SynthResource } from '../types';

export { DEPRECATION_WARNING_DAYS };

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

interface Deprecation {
  readonly runtime: string;
  /** `YYYY-MM-DD`, as the list writes it. */
  readonly date: string;
  /** Whole days from `today` to the date: 0 or less once it has passed. */
  readonly daysLeft: number;
}

function deprecationOf(fn: SynthResource, today: Date): Deprecation | undefined {
  const runtime = fn.config.runtime;
  if (typeof runtime !== 'string') return undefined;
  const date = RUNTIME_DEPRECATION[runtime];
  if (date === undefined) return undefined;
  return { runtime, date, daysLeft: daysUntil(date, today) };
}

export const lambdaRuntimeSupported: PolicyRule = {
  id: 'lambda-runtime-supported',
  description: `No function uses a deprecated or unknown Node.js or Python runtime; one within ${DEPRECATION_WARNING_DAYS} days of its date warns`,
  resourceTypes: ['aws_lambda_function'],
  check(fn, _stack, { today }) {
    const runtime = fn.config.runtime;
    if (typeof runtime !== 'string') return undefined;
    const deprecation = deprecationOf(fn, today);
    if (deprecation === undefined) {
      return /^(nodejs|python)/.test(runtime)
        ? `runtime ${runtime} is not in the dated list of this rule`
        : undefined;
    }
    return deprecation.daysLeft <= 0
      ? `runtime ${runtime} was deprecated on ${deprecation.date}`
      : undefined;
  },
  warn(fn, _stack, { today }) {
    const deprecation = deprecationOf(fn, today);
    return deprecation === undefined
      ? undefined
      : deprecationWarning(deprecation.runtime, deprecation.date, today);
  },
};
