// @tier e2e
import { bundleCanaries } from '../../bundling/canaries';
import { buildWebsite } from '../../bundling/website';
import { readZip } from '../../bundling/zip';
import {
  CANARY_ENV,
  CANARY_NAMES,
  CANARY_STEPS,
  SYNTHETICS_MODULES,
} from '../../contract/canaries';
import { startApiGateway } from '../../local/api-gateway';
import { runCanary } from '../../local/canary-runner';
import { freePort } from '../../local/ports';
import { startLocalSystem, type LocalSystem } from '../../local/system';
import { startWebsiteServer } from '../../local/website-server';
import { startTestFunction } from '../support/local-function';
import { type Breakage, startStageFront } from '../support/stage-front';

let system: LocalSystem;
/** What the function logged, one JSON line each. */
const functionLogs: string[] = [];

beforeAll(async () => {
  system = await startLocalSystem({
    ports: { website: 0, api: 0, dynamodb: 0 },
    onLogLine: (line) => functionLogs.push(line),
    // These tests run a dozen journeys back to back: dev's throttle (10 requests a second) would
    // answer some of them 429, as API Gateway would. The throttle has tests of its own.
    apiThrottling: { burstLimit: 1_000, rateLimit: 1_000 },
  });
});
afterAll(() => system.stop());

const environment = () => ({
  [CANARY_ENV.websiteUrl]: system.websiteUrl,
  [CANARY_ENV.apiUrl]: system.apiUrl,
});

/** The correlation ids the function logged as its callers'. */
const callerCorrelationIds = () =>
  new Set(
    functionLogs.map(
      (line) => (JSON.parse(line) as { caller_correlation_id?: string }).caller_correlation_id,
    ),
  );

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const API_STEPS = CANARY_STEPS.api;

describe('the canary zips, run as the Synthetics runtime runs them, against the local system', () => {
  it('website journey: opens the site, posts, looks the message up, sees the count rise — in Chromium', async () => {
    const run = await runCanary(bundleCanaries().website, {
      canaryName: 'msgs-local-site',
      environment: environment(),
    });
    expect(run.error).toBeUndefined();
    expect(run.passed).toBe(true);
    expect(run.steps.map((step) => [step.name, step.status])).toEqual([
      ['open', 'passed'],
      ['post', 'passed'],
      ['look-up', 'passed'],
      ['count-rose', 'passed'],
    ]);
    // The page's API calls carry the canary's correlation id instead of its own, logged under
    // the step before the call; the function received that very id.
    const post = new RegExp(
      `^INFO post: POST \\S+/messages x-correlation-id=(canary-msgs-local-site-post-${UUID})$`,
    );
    const sent = run.logs.map((line) => post.exec(line)?.[1]).filter((id) => id !== undefined);
    expect(sent).toHaveLength(1);
    expect(callerCorrelationIds()).toContain(sent[0]);
    expect(run.logs.join('\n')).not.toMatch(/x-correlation-id=web-/);
  });

  it('API journey: count, create, read, count again, the error answers, CORS and the website config — over HTTP', async () => {
    const run = await runCanary(bundleCanaries().api, {
      canaryName: 'msgs-local-api',
      environment: environment(),
    });
    expect(run.error).toBeUndefined();
    expect(run.steps.map((step) => [step.name, step.status])).toEqual(
      API_STEPS.map((step) => [step, 'passed']),
    );
    // Each request is logged before it is sent, with its step's correlation id.
    const requests = run.logs.filter((line) => / (GET|POST|OPTIONS) /.test(line));
    expect(requests).toEqual(
      API_STEPS.map((step) =>
        expect.stringMatching(
          new RegExp(
            `^INFO ${step}: (GET|POST|OPTIONS) http\\S+ x-correlation-id=canary-msgs-local-api-${step}-${UUID}$`,
          ),
        ),
      ),
    );
    // The function received the ids of the requests that reached it.
    const create = /x-correlation-id=(\S+)$/.exec(requests[API_STEPS.indexOf('create')])?.[1];
    expect(callerCorrelationIds()).toContain(create);
  });

  it('fails at the first step, naming it, when nothing answers at the API address', async () => {
    const run = await runCanary(bundleCanaries().api, {
      canaryName: 'msgs-local-api',
      environment: {
        [CANARY_ENV.apiUrl]: `http://127.0.0.1:${await freePort()}`,
        [CANARY_ENV.websiteUrl]: system.websiteUrl,
      },
    });
    expect(run.passed).toBe(false);
    expect(run.steps).toEqual([
      expect.objectContaining({
        name: 'count',
        status: 'failed',
        error: expect.stringMatching(
          new RegExp(
            `^count: GET \\S+/messages got no answer: .+ \\(x-correlation-id=canary-msgs-local-api-count-${UUID}\\)$`,
          ),
        ),
      }),
    ]);
  });

  it('website journey fails at "open" with what the page tells a person when the API is down', async () => {
    const website = await startWebsiteServer({
      port: 0,
      build: buildWebsite(),
      config: { apiUrl: `http://127.0.0.1:${await freePort()}` },
    });
    try {
      const run = await runCanary(bundleCanaries().website, {
        canaryName: 'msgs-local-site',
        environment: { [CANARY_ENV.websiteUrl]: website.url },
      });
      expect(run.passed).toBe(false);
      expect(run.steps).toEqual([
        expect.objectContaining({
          name: 'open',
          status: 'failed',
          error: expect.stringContaining('Could not reach the message service'),
        }),
      ]);
    } finally {
      await website.stop();
    }
  });

  it.each([
    [CANARY_ENV.apiUrl, { [CANARY_ENV.websiteUrl]: 'http://127.0.0.1:1' }],
    [CANARY_ENV.websiteUrl, { [CANARY_ENV.apiUrl]: 'http://127.0.0.1:1' }],
  ])('API journey fails naming its missing environment variable %s', async (missing, given) => {
    const run = await runCanary(bundleCanaries().api, {
      canaryName: 'msgs-local-api',
      environment: given,
    });
    expect(run.passed).toBe(false);
    expect(run.steps).toEqual([]);
    expect(run.error).toBe(`Canary environment variable ${missing} is not set`);
  });

  it('leads from a failed step to the function log line of the same request', async () => {
    // A function whose table does not exist: every request fails on the server side.
    const fn = await startTestFunction(undefined, 'missing-table', { createTable: false });
    const gateway = await startApiGateway({
      port: 0,
      allowedOrigins: [],
      invoke: (event) => fn.fn.invoke(event),
    });
    try {
      const run = await runCanary(bundleCanaries().api, {
        canaryName: 'msgs-local-api',
        environment: {
          [CANARY_ENV.apiUrl]: gateway.url,
          [CANARY_ENV.websiteUrl]: system.websiteUrl,
        },
      });
      expect(run.steps).toEqual([
        expect.objectContaining({
          name: 'count',
          status: 'failed',
          error: expect.stringContaining('expected HTTP 200, got 500'),
        }),
      ]);
      const correlationId = new RegExp(
        `x-correlation-id=(canary-msgs-local-api-count-${UUID})`,
      ).exec(run.logs.join('\n'))?.[1];
      expect(correlationId).toBeDefined();
      expect(run.steps[0].error).toContain(`x-correlation-id=${correlationId}`);
      const line = await fn.waitForLog(
        (entry) => entry.level === 'ERROR' && entry.caller_correlation_id === correlationId,
      );
      expect(line).toMatchObject({ message: 'request failed', errorCode: 'INTERNAL_ERROR' });
    } finally {
      await gateway.stop();
      await fn.fn.stop();
    }
  });

  it.each(CANARY_NAMES)(
    'bundles the %s journey against the library names of puppeteer runtimes from 13.1 only',
    (name) => {
      const script = readZip(bundleCanaries()[name].zipFile)
        .get(`nodejs/node_modules/${name}.js`)
        ?.toString('utf8');
      for (const module of Object.values(SYNTHETICS_MODULES))
        expect(script).toContain(JSON.stringify(module));
      expect(script).not.toMatch(/require\(["'](Synthetics|SyntheticsLogger)["']\)/);
      expect(script).not.toMatch(/["']Synthetics(Logger)?["']/);
    },
  );

  it('names each canary within the 21 characters AWS keeps', () => {
    for (const name of CANARY_NAMES) expect(`msgs-prod-${name}`.length).toBeLessThanOrEqual(21);
  });
});

const json = (body: unknown) => ({
  status: 0,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** One wrong answer per step of the API journey, each a mistake a real deploy could make. */
const WRONG_ANSWERS: Record<(typeof API_STEPS)[number], Breakage> = {
  count: {
    server: 'api',
    method: 'GET',
    path: /^\/messages$/,
    occurrence: 1,
    answer: { ...json({ count: '12' }), status: 200 },
  },
  create: {
    server: 'api',
    method: 'POST',
    path: /^\/messages$/,
    occurrence: 1,
    answer: {
      ...json({ error: { code: 'INTERNAL_ERROR', message: 'Internal error' }, requestId: 'r' }),
      status: 500,
    },
  },
  read: {
    server: 'api',
    method: 'GET',
    path: /^\/messages\/[^/]+$/,
    occurrence: 1,
    answer: { ...json({ id: 'x', message: 'someone else’s message', createdAt: '' }), status: 200 },
  },
  'count-rose': {
    server: 'api',
    method: 'GET',
    path: /^\/messages$/,
    occurrence: 2,
    answer: { ...json({ count: 0 }), status: 200 },
  },
  // A handler that crashes on a malformed body instead of refusing it.
  'invalid-json': {
    server: 'api',
    method: 'POST',
    path: /^\/messages$/,
    occurrence: 2,
    answer: {
      ...json({ error: { code: 'INTERNAL_ERROR', message: 'Internal error' }, requestId: 'r' }),
      status: 500,
    },
  },
  // API Gateway's own answer when the route is missing: 404, but no error code of the API.
  'not-found': {
    server: 'api',
    method: 'GET',
    path: /^\/messages\/[^/]+$/,
    occurrence: 2,
    answer: { ...json({ message: 'Not Found' }), status: 404 },
  },
  // CORS opened to every origin.
  'cors-preflight': {
    server: 'api',
    method: 'OPTIONS',
    path: /^\/messages$/,
    occurrence: 1,
    answer: {
      status: 204,
      headers: {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET,POST,OPTIONS',
        'access-control-allow-headers': 'content-type,x-correlation-id',
      },
    },
  },
  // A deploy that points the site at another API.
  'website-config': {
    server: 'website',
    method: 'GET',
    path: /^\/config\.json$/,
    occurrence: 1,
    answer: {
      ...json({ apiUrl: 'https://other.execute-api.us-east-1.amazonaws.com' }),
      status: 200,
    },
  },
};

describe('the API journey against a stage that gets one check wrong', () => {
  it('passes every step through the stage front when nothing is broken', async () => {
    const front = await startStageFront(system);
    try {
      const run = await runCanary(bundleCanaries().api, {
        canaryName: 'msgs-local-api',
        environment: {
          [CANARY_ENV.websiteUrl]: front.websiteUrl,
          [CANARY_ENV.apiUrl]: front.apiUrl,
        },
      });
      expect(run.error).toBeUndefined();
      expect(run.steps.map((step) => step.status)).toEqual(API_STEPS.map(() => 'passed'));
    } finally {
      await front.stop();
    }
  });

  it.each(API_STEPS)(
    'fails at "%s", naming the step and the correlation id of the wrong answer',
    async (step) => {
      const front = await startStageFront(system, WRONG_ANSWERS[step]);
      try {
        const run = await runCanary(bundleCanaries().api, {
          canaryName: 'msgs-local-api',
          environment: {
            [CANARY_ENV.websiteUrl]: front.websiteUrl,
            [CANARY_ENV.apiUrl]: front.apiUrl,
          },
        });

        expect(run.passed).toBe(false);
        const index = API_STEPS.indexOf(step);
        expect(run.steps.map((s) => [s.name, s.status])).toEqual([
          ...API_STEPS.slice(0, index).map((s) => [s, 'passed']),
          [step, 'failed'],
        ]);
        expect(front.broken).toHaveLength(1);
        const { correlationId } = front.broken[0];
        expect(correlationId).toMatch(new RegExp(`^canary-msgs-local-api-${step}-${UUID}$`));
        expect(run.steps[index].error).toMatch(new RegExp(`^${step}: `));
        expect(run.steps[index].error).toContain(`(x-correlation-id=${correlationId})`);
        expect(run.error).toBe(run.steps[index].error);
        // The request was logged before it was sent.
        expect(run.logs).toContainEqual(
          expect.stringMatching(
            new RegExp(`^INFO ${step}: [A-Z]+ \\S+ x-correlation-id=${correlationId}$`),
          ),
        );
      } finally {
        await front.stop();
      }
    },
  );
});
