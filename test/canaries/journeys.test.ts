import { bundleCanaries } from '../../bundling/canaries';
import { buildWebsite } from '../../bundling/website';
import { CANARY_ENV, CANARY_NAMES } from '../../contract/canaries';
import { startApiGateway } from '../../local/api-gateway';
import { runCanary } from '../../local/canary-runner';
import { freePort } from '../../local/ports';
import { startLocalSystem, type LocalSystem } from '../../local/system';
import { startWebsiteServer } from '../../local/website-server';
import { startTestFunction } from '../support/local-function';

let system: LocalSystem;

beforeAll(async () => {
  system = await startLocalSystem({ ports: { website: 0, api: 0, dynamodb: 0 } });
});
afterAll(() => system.stop());

const environment = () => ({
  [CANARY_ENV.websiteUrl]: system.websiteUrl,
  [CANARY_ENV.apiUrl]: system.apiUrl,
});

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
    // Every API call the page made is logged with its correlation id, under its step.
    expect(
      run.logs.some((line) =>
        /^INFO post: POST \S+\/messages x-correlation-id=web-[0-9a-f-]{36}$/.test(line),
      ),
    ).toBe(true);
  });

  it('API journey: count, create, read, count again — over HTTP', async () => {
    const run = await runCanary(bundleCanaries().api, {
      canaryName: 'msgs-local-api',
      environment: environment(),
    });
    expect(run.error).toBeUndefined();
    expect(run.steps.map((step) => [step.name, step.status])).toEqual([
      ['count', 'passed'],
      ['create', 'passed'],
      ['read', 'passed'],
      ['count-rose', 'passed'],
    ]);
    expect(run.logs).toContainEqual(
      expect.stringMatching(
        /^INFO create: POST \/messages x-correlation-id=msgs-local-api-create-[0-9a-f-]{36}$/,
      ),
    );
  });

  it('fails at the first step, naming it, when nothing answers at the API address', async () => {
    const run = await runCanary(bundleCanaries().api, {
      canaryName: 'msgs-local-api',
      environment: { [CANARY_ENV.apiUrl]: `http://127.0.0.1:${await freePort()}` },
    });
    expect(run.passed).toBe(false);
    expect(run.steps).toEqual([expect.objectContaining({ name: 'count', status: 'failed' })]);
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

  it('fails naming its missing environment variable', async () => {
    const run = await runCanary(bundleCanaries().api, {
      canaryName: 'msgs-local-api',
      environment: {},
    });
    expect(run.passed).toBe(false);
    expect(run.error).toBe(`Canary environment variable ${CANARY_ENV.apiUrl} is not set`);
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
        environment: { [CANARY_ENV.apiUrl]: gateway.url },
      });
      expect(run.steps).toEqual([
        expect.objectContaining({
          name: 'count',
          status: 'failed',
          error: expect.stringContaining('expected HTTP 200, got 500'),
        }),
      ]);
      const correlationId = /x-correlation-id=(msgs-local-api-count-[0-9a-f-]{36})/.exec(
        run.logs.join('\n'),
      )?.[1];
      expect(correlationId).toBeDefined();
      const line = await fn.waitForLog(
        (entry) => entry.level === 'ERROR' && entry.caller_correlation_id === correlationId,
      );
      expect(line).toMatchObject({ message: 'request failed', errorCode: 'INTERNAL_ERROR' });
    } finally {
      await gateway.stop();
      await fn.fn.stop();
    }
  });

  it('names each canary within the 21 characters AWS keeps', () => {
    for (const name of CANARY_NAMES) expect(`msgs-prod-${name}`.length).toBeLessThanOrEqual(21);
  });
});
