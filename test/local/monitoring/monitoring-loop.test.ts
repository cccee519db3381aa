// @tier e2e
/**
 * The whole loop, as `npm start -- --stage prod` runs it but faster (120 simulated seconds a
 * second): the real system with DynamoDB Local, the canaries' real journeys on prod's schedules,
 * prod's synthesized alarms, the outbox. The API is broken by stopping DynamoDB Local (the
 * supervisor leaves a stop it was asked for alone) and restored; every wait is on what the loop
 * reports, with a bound.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMonitoredSystem, type MonitoredSystem } from '../../../local/monitored-system';
import {
  type ScheduledRun,
  MONITOR_API,
  type AlarmDetailResponse,
  type LogsQueryResponse,
} from '@monitored/cloudwatch-local';
import { parseEmailWithPython } from '../../support/python-email';
import { LoopWatcher } from '../../../local/monitoring/loop-watcher';
import { pollUntil } from '../../support/processes';
import { TEST_TODAY } from '../../support/synth';
import {
  API_GATEWAY,
  CLOUDFRONT,
  DYNAMODB,
  LAMBDA,
  SYNTHETICS,
  type MetricSpec,
} from '@monitored/cloudwatch-model';

const STAGE = 'prod';
const SITE_DOWN = 'msgs-prod-site-down';
const API_JOURNEY = 'msgs-prod-api-journey-failing';
const DEPLOY = 'msgs-prod-deploy-in-progress';
const MINUTE = 60_000;
/** Real time for any one step of the loop; prod's API canary runs every 3 real seconds here. */
const WITHIN_MS = 60_000;

const events = new LoopWatcher();
let outboxDir: string;
let monitored: MonitoredSystem;
/** The events of the start, up to "site down" OK. */
let startedUntil: number;

beforeAll(async () => {
  outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
  monitored = await startMonitoredSystem({
    stage: STAGE,
    timeScale: 120,
    ports: { website: 0, api: 0, dynamodb: 0 },
    monitorPort: 0,
    outboxDir,
    today: TEST_TODAY,
    onNotice: () => undefined,
    onMonitorEvent: events.listener,
  });
  // The journeys pass and the pager is quiet before anything is broken.
  await events.waitFor('site-down OK', events.stateChange(SITE_DOWN, 'OK'), {
    withinMs: WITHIN_MS,
  });
  startedUntil = events.mark;
}, 90_000);
afterAll(async () => {
  await monitored.stop();
  fs.rmSync(outboxDir, { recursive: true, force: true });
});

const api = () => monitored.system.dynamodb!;
const monitorUrl = () => monitored.loop.url;

describe("the monitoring loop with prod's definitions", () => {
  it('starts quiet: the canaries run before the alarms are first evaluated, so none goes to ALARM', () => {
    const alarmed = events.all
      .slice(0, startedUntil)
      .flatMap((event) =>
        event.type === 'alarm' &&
        event.event.type === 'StateChange' &&
        event.event.change.newState === 'ALARM'
          ? [event.event.change.alarmName]
          : [],
      );
    expect(alarmed).toEqual([]);
  });

  it('emails "site down" when the API breaks, naming the stage, the failing journey and step, with local links; and "OK" once it is back', async () => {
    const from = events.mark;
    const brokenAt = monitored.clock.now();

    await api().suspend();
    const alarm = await events.waitFor('site-down ALARM email', events.email(SITE_DOWN, 'ALARM'), {
      from,
      withinMs: WITHIN_MS,
    });
    const journeyAlarm = await events.waitFor(
      'API journey ALARM',
      events.stateChange(API_JOURNEY, 'ALARM'),
      { from, withinMs: WITHIN_MS },
    );
    const restoring = events.mark;
    await api().resume();
    const ok = await events.waitFor('site-down OK email', events.email(SITE_DOWN, 'OK'), {
      from: restoring,
      withinMs: WITHIN_MS,
    });

    // Evaluated at the minute the API broke in or later: an evaluation is stamped with its minute,
    // and under load the one of the break's minute runs late and reads the run the break failed.
    expect(journeyAlarm.change.timestamp).toBeGreaterThanOrEqual(
      Math.floor(brokenAt / MINUTE) * MINUTE,
    );
    expect(monitored.loop.alarms.history(SITE_DOWN).map((c) => c.newState)).toEqual([
      'OK',
      'ALARM',
      'OK',
    ]);
    const email = parseEmailWithPython(fs.readFileSync(alarm.file));
    expect(email.defects).toEqual([]);
    expect(email.subject).toBe(`ALARM: "${SITE_DOWN}" in US East (N. Virginia)`);
    expect(email.to).toBe('you@localhost');
    // The journey (its alarm triggered the composite) and its failing step, from the canary's run.
    expect(email.body).toContain(`alarm:${API_JOURNEY} transitioned to ALARM at `);
    expect(email.body).toMatch(
      /The run of msgs-prod-api at .* failed after 1 retry at step count: /,
    );
    // Links that open the local monitor: the dashboard, the alarm, the canary's runs.
    expect(email.body).toContain(`Dashboard: ${monitorUrl()}/ `);
    expect(email.body).toContain(`${monitorUrl()}/alarms/${SITE_DOWN}`);
    expect(email.body).toContain(`${monitorUrl()}/canaries/msgs-prod-api`);
    expect(email.body).not.toContain('console.aws.amazon.com');
    const okEmail = parseEmailWithPython(fs.readFileSync(ok.file));
    expect(okEmail.subject).toBe(`OK: "${SITE_DOWN}" in US East (N. Virginia)`);
    expect(okEmail.body).toMatch(/The run of msgs-prod-api at .* passed/);
  }, 180_000);

  it('sends no "site down" email while a deploy holds the deploy alarm (as npm run deploy-alarm does), and its history says so', async () => {
    const holding = events.mark;
    await monitored.loop.deployAlarm.hold();
    await events.waitFor('deploy alarm ALARM', events.stateChange(DEPLOY, 'ALARM'), {
      from: holding,
      withinMs: WITHIN_MS,
    });
    const from = events.mark;

    await api().suspend();
    const change = await events.waitFor('site-down ALARM', events.stateChange(SITE_DOWN, 'ALARM'), {
      from,
      withinMs: WITHIN_MS,
    });
    // The journey's own alarm is not suppressed: it still emails.
    await events.waitFor('API journey ALARM email', events.email(API_JOURNEY, 'ALARM'), {
      from,
      withinMs: WITHIN_MS,
    });
    // Well past the minute after which the composite would have sent its email.
    const evaluated = await pollUntil(
      () => monitored.loop.alarms.evaluatedUntil >= change.change.timestamp + 3 * MINUTE,
      WITHIN_MS,
    );
    const detail = (await (
      await fetch(`${monitorUrl()}${MONITOR_API.alarm(SITE_DOWN)}`)
    ).json()) as AlarmDetailResponse;
    await api().resume();
    await monitored.loop.deployAlarm.release();

    expect(evaluated).toBe(true);
    expect(change.suppressed).toEqual({ by: 'Alarm', reason: 'Actions suppressed by Alarm' });
    expect(
      events.all.slice(from).filter((event) => events.email(SITE_DOWN, 'ALARM')(event)),
    ).toEqual([]);
    expect(detail.alarm.history[0]).toMatchObject({
      oldState: 'OK',
      newState: 'ALARM',
      actionsSuppressed: 'Actions suppressed by Alarm',
    });
  }, 180_000);

  it("shows the canary's runs at /canaries/<name>, each failed step's request linked to its log lines, API Gateway's included", async () => {
    const name = 'msgs-prod-api';
    const { runs } = (await (await fetch(`${monitorUrl()}/api/canaries/${name}`)).json()) as {
      runs: ScheduledRun[];
    };
    const failed = runs.find((run) => !run.passed);
    const page = await fetch(`${monitorUrl()}/canaries/${name}`);
    const html = await page.text();
    // A step the function answered with a 503 (not one whose request the canary gave up on).
    const link =
      /got 503[^<]*<a href="(\/logs\?[^"]+)">x-correlation-id=(canary-msgs-prod-api-[a-z-]+-[0-9a-f-]{36}), apigw-requestid=[^<]+<\/a>/.exec(
        html,
      );
    const logsPage = new URL((link?.[1] ?? '').replace(/&amp;/g, '&'), monitorUrl());
    const trail = async () => {
      const answer = await fetch(`${monitorUrl()}${MONITOR_API.logsQuery}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: logsPage.searchParams.get('query'),
          logGroups: logsPage.searchParams.get('groups')?.split(','),
          start: Date.parse(logsPage.searchParams.get('start') ?? ''),
          end: Date.parse(logsPage.searchParams.get('end') ?? ''),
        }),
      });
      return ((await answer.json()) as LogsQueryResponse).rows;
    };
    // The function's lines come from its process's output, which may reach the log group a
    // moment after its answer reached the canary. A poll with a bound: a log line's arrival has
    // no event to wait on here.
    let rows = await trail();
    for (const deadline = Date.now() + WITHIN_MS; Date.now() < deadline; rows = await trail()) {
      if (new Set(rows.filter((row) => row.status === '503').map((row) => row['@log'])).size >= 2)
        break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(failed?.attempts.map((attempt) => attempt.steps.at(-1)?.status)).toEqual([
      'failed',
      'failed',
    ]);
    expect(html).toContain(`data-run="${failed?.id}" data-run-passed="false"`);
    expect(link).not.toBeNull();
    // The function's lines and API Gateway's access-log line of the same request.
    const { functionLogGroup, accessLogGroup } = monitored.definitions.names;
    expect(
      new Set(rows.filter((row) => row.status === '503').map((row) => row['@log'].split(':')[1])),
    ).toEqual(new Set([functionLogGroup, accessLogGroup]));
    expect((await fetch(`${monitorUrl()}/canaries/nope`)).status).toBe(404);
    expect((await fetch(`${monitorUrl()}/canaries/${name}`, { method: 'POST' })).status).toBe(405);
  });

  it('recorded only metrics of the catalogue, from every local part, through all of it', () => {
    const { metrics } = monitored.data;
    const { names, ids } = monitored.definitions;
    const seen = (spec: MetricSpec, dimensions: Record<string, string>) =>
      metrics.datapoints(spec, dimensions, 'SampleCount', 3600, 0, Number.MAX_SAFE_INTEGER).length >
      0;

    expect(monitored.data.refused).toEqual([]);
    expect({
      synthetics: seen(SYNTHETICS.successPercentWithRetries, { CanaryName: 'msgs-prod-api' }),
      apiGateway: seen(API_GATEWAY.count, { ApiId: ids.apiId, Stage: ids.apiStage }),
      lambda: seen(LAMBDA.invocations, { FunctionName: names.function }),
      dynamodb: seen(DYNAMODB.consumedWriteCapacityUnits, { TableName: names.table }),
      cloudfront: seen(CLOUDFRONT.requests, {
        DistributionId: ids.distributionId,
        Region: 'Global',
      }),
    }).toEqual({
      synthetics: true,
      apiGateway: true,
      lambda: true,
      dynamodb: true,
      cloudfront: true,
    });
  });
});
