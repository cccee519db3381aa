/** What the canary journeys, their bundling, the stack and the local runner share. */
import { API_GATEWAY_REQUEST_ID_HEADER, CORRELATION_ID_HEADER } from './api';

/**
 * The canaries, by their one name: the journey's file (`canaries/<name>.ts`), the module in its
 * zip (`nodejs/node_modules/<name>.js`, handler `<name>.handler`), the `npm run canary` argument,
 * and the end of the physical canary name (`msgs-<stage>-<name>`, at most 21 characters).
 */
export const CANARY_NAMES = ['website', 'api'] as const;

export type CanaryName = (typeof CANARY_NAMES)[number];

/**
 * The canaries' runtime: the newest AWS documents in detail (Node.js 22, puppeteer-core 24.37.5,
 * Chromium 145), the same puppeteer-core major as the one the journeys are tested with here
 * (24.x), with automatic retries (10.0+) and the library names the journeys use (13.1+). The
 * canary's zip path carries this name in its hash (stacks/monitoring/canary.ts), because the
 * provider refuses a runtime change without new code (terraform-provider-aws issue 46792).
 */
export const CANARY_RUNTIME = 'syn-nodejs-puppeteer-15.0';

/**
 * Each journey's steps, in the order they run. A step's name is the `StepName` dimension of its
 * SuccessPercent and Duration metrics, which the dashboard graphs: the journeys name their steps
 * from here.
 */
export const CANARY_STEPS = {
  website: ['open', 'post', 'look-up', 'count-rose'],
  api: [
    'count',
    'create',
    'read',
    'count-rose',
    'invalid-json',
    'not-found',
    'cors-preflight',
    'website-config',
  ],
} as const satisfies Record<CanaryName, readonly string[]>;

export type StepName<C extends CanaryName> = (typeof CANARY_STEPS)[C][number];

/**
 * The API journey's steps whose 4xx answer is what they check (the API refusing a malformed body,
 * an unknown id): in the logs they are refusals on purpose, not failures.
 */
export const REFUSAL_STEPS = [
  'invalid-json',
  'not-found',
] as const satisfies readonly StepName<'api'>[];

/** A journey's step names as an object (`steps('api')['count-rose']`), for use in its script. */
export function steps<C extends CanaryName>(canary: C): { readonly [S in StepName<C>]: S } {
  return Object.fromEntries(CANARY_STEPS[canary].map((step) => [step, step])) as {
    readonly [S in StepName<C>]: S;
  };
}

/** Environment variables the stack sets on each canary's run and the journeys read. */
export const CANARY_ENV = {
  websiteUrl: 'WEBSITE_URL',
  apiUrl: 'API_URL',
} as const;

/**
 * How the API's logs tell canary traffic from people's: every request a canary makes carries an
 * `x-correlation-id` starting with this, which the function logs as `caller_correlation_id`
 * (Logs Insights: `filter caller_correlation_id like /^canary-/`).
 */
export const CANARY_CORRELATION_PREFIX = 'canary-';

/**
 * The `x-correlation-id` of one canary request: `canary-<canary name>-<step>-<uuid>`, so a failed
 * step names the request to look for in the function's logs. At most 7 + 21 + step + 37
 * characters, well inside the 128 the handler accepts.
 */
export function canaryCorrelationId(
  canaryName: string,
  step: string,
  uuid: string = crypto.randomUUID(),
): string {
  return `${CANARY_CORRELATION_PREFIX}${canaryName}-${step}-${uuid}`;
}

/**
 * The Synthetics library's modules as puppeteer runtimes from syn-nodejs-puppeteer-13.1 name them
 * (the older `Synthetics` and `SyntheticsLogger` "will be deprecated in a future release"). They
 * live in the runtime's layer, so the bundle keeps them external and the local runner provides them.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Library_nodejs_puppeteer.html
 */
export const SYNTHETICS_MODULES = {
  library: '@aws/synthetics-puppeteer',
  logger: '@aws/synthetics-logger',
} as const;

/**
 * The ids of one request a canary made: its own `x-correlation-id` (the function's
 * `caller_correlation_id`), and API Gateway's request id when an answer came (the access log's
 * `requestId`, the function's `correlation_id`). Together they find every line of the request,
 * API Gateway's own included.
 */
export interface RequestIds {
  readonly correlationId: string;
  readonly apiGatewayRequestId?: string;
}

/** How a canary's log lines and failure messages write a request's ids. */
export function writeRequestIds(ids: RequestIds): string {
  return ids.apiGatewayRequestId === undefined
    ? `${CORRELATION_ID_HEADER}=${ids.correlationId}`
    : `${CORRELATION_ID_HEADER}=${ids.correlationId}, ${API_GATEWAY_REQUEST_ID_HEADER}=${ids.apiGatewayRequestId}`;
}

const WRITTEN_IDS = new RegExp(
  `${CORRELATION_ID_HEADER}=(${CANARY_CORRELATION_PREFIX}[A-Za-z0-9_-]+)(?:, ${API_GATEWAY_REQUEST_ID_HEADER}=([A-Za-z0-9_+/=-]+))?`,
  'g',
);

/** Each request's ids that `writeRequestIds` wrote in `text`, where they are, in order. */
export function findRequestIds(
  text: string,
): { readonly ids: RequestIds; readonly index: number; readonly length: number }[] {
  return [...text.matchAll(WRITTEN_IDS)].map((match) => ({
    ids: {
      correlationId: match[1],
      ...(match[2] !== undefined && { apiGatewayRequestId: match[2] }),
    },
    index: match.index ?? 0,
    length: match[0].length,
  }));
}
