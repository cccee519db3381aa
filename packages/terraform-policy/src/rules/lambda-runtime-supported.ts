import {
  acceptedPastDeprecation,
  daysUntil,
  DEPRECATION_WARNING_DAYS,
  deprecationWarning,
  fromOrSince,
  isAccepted,
  pastDeprecationRefusal,
  type PastDeprecation,
} from '../deprecation';
import type { Resource } from '@monitored/terraform-json';
import type { PolicyRule, RuleContext } from '../types';

const RUNTIMES_PAGE = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html';

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

/**
 * The later dates of the same page's tables, for the runtimes this project can run on: from
 * "Block function create" no function can be created on the runtime, from "Block function update"
 * none can be updated (code or configuration); invocations go on after both. The page's own
 * table was not in the stored copy read here: these are its dates as copied by endoflife.date
 * (aws-lambda) and by /work/shared/aws-facts.md (nodejs20.x's block of creates), as of 2026.
 */
export const RUNTIME_BLOCKS: Readonly<
  Record<string, { readonly create: string; readonly update: string }>
> = {
  'nodejs20.x': { create: '2026-08-31', update: '2026-09-30' },
  'nodejs22.x': { create: '2027-06-01', update: '2027-07-01' },
  'nodejs24.x': { create: '2028-06-01', update: '2028-07-01' },
};

/**
 * What Lambda still allows on a deprecated runtime on `today`. The page blocks creates and updates
 * only: deleting a function (a destroy) is assumed to stay possible, as the page names no block
 * of it.
 */
function stillAllowed(runtime: string, today: Date): string {
  const blocks = RUNTIME_BLOCKS[runtime];
  const blocked =
    blocks === undefined
      ? `Lambda blocks creating, then updating, functions on it some months after that date (${RUNTIMES_PAGE})`
      : `Lambda blocks creating functions on it ${fromOrSince(blocks.create, today)} and updating them ${fromOrSince(blocks.update, today)} (${RUNTIMES_PAGE})`;
  return `existing functions keep running; ${blocked}`;
}

function pastDeprecation(fn: Resource, today: Date): PastDeprecation | undefined {
  const runtime = fn.config.runtime;
  if (typeof runtime !== 'string') return undefined;
  const date = RUNTIME_DEPRECATION[runtime];
  if (date === undefined || daysUntil(date, today) > 0) return undefined;
  return { runtime, date, stillAllowed: stillAllowed(runtime, today) };
}

function accepted(deprecation: PastDeprecation, context: RuleContext): boolean {
  return isAccepted(deprecation.runtime, context.acceptDeprecatedRuntimes);
}

export const lambdaRuntimeSupported: PolicyRule = {
  id: 'lambda-runtime-supported',
  description: `No function uses a deprecated or unknown Node.js or Python runtime; one within ${DEPRECATION_WARNING_DAYS} days of its date warns`,
  resourceTypes: ['aws_lambda_function'],
  check(fn, _stack, context) {
    const runtime = fn.config.runtime;
    if (typeof runtime !== 'string') return undefined;
    if (RUNTIME_DEPRECATION[runtime] === undefined) {
      return /^(nodejs|python)/.test(runtime)
        ? `runtime ${runtime} is not in the dated list of this rule`
        : undefined;
    }
    const deprecation = pastDeprecation(fn, context.today);
    return deprecation === undefined || accepted(deprecation, context)
      ? undefined
      : pastDeprecationRefusal(deprecation, context.runtimeOverride);
  },
  warn(fn, _stack, context) {
    const runtime = fn.config.runtime;
    if (typeof runtime !== 'string') return undefined;
    const date = RUNTIME_DEPRECATION[runtime];
    if (date === undefined) return undefined;
    const deprecation = pastDeprecation(fn, context.today);
    if (deprecation !== undefined) {
      return accepted(deprecation, context)
        ? acceptedPastDeprecation(deprecation, context.runtimeOverride)
        : undefined;
    }
    return deprecationWarning(runtime, date, context.today);
  },
};
