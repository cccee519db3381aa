// @tier e2e
import { bundleCanaries } from '../../bundling/canaries';
import { CANARY_ENV, findRequestIds } from '../../contract/canaries';
import { LOG_FIELDS } from '../../contract/logs';
import { runCanary } from '../../local/canary-runner';
import { runQuery, InMemoryLogStore } from '@monitored/cloudwatch-local';
import { startLocalSystem, type LocalSystem } from '../../local/system';
import { parseConsoleLink } from '@monitored/cloudwatch-model';
import { stageNames } from '../../stacks/shared/stage-names';
import { pollUntil } from '../support/processes';
import { synthStage } from '../support/synth';

/**
 * The path a person takes from an alarm to the failing request: the canary fails, the alarm's
 * description links a Logs Insights query, and that very query finds the function's lines of the
 * request by the correlation id the canary sent. Run here over the local function's logs.
 */
describe('from a failed canary run to the log lines of its request', () => {
  const names = stageNames('msgs-prod');
  const lines: string[] = [];
  let system: LocalSystem;

  beforeAll(async () => {
    system = await startLocalSystem({
      ports: { website: 0, api: 0, dynamodb: 0 },
      onLogLine: (line) => lines.push(line),
    });
  });
  afterAll(() => system.stop());

  it("finds them through the alarm's link and through the dashboard's widget", async () => {
    // Break the API on purpose: with DynamoDB Local gone, the function answers 503.
    await system.dynamodb?.stop();
    const run = await runCanary(bundleCanaries().api, {
      canaryName: names.canary('api'),
      environment: {
        [CANARY_ENV.apiUrl]: system.apiUrl,
        [CANARY_ENV.websiteUrl]: system.websiteUrl,
      },
    });
    expect(run.passed).toBe(false);
    const failed = findRequestIds(run.steps[0].error ?? '')[0]?.ids;
    const failedId = failed?.correlationId;
    expect(failedId).toMatch(/^canary-msgs-prod-api-count-/);
    // API Gateway's id of the answer, which finds its access-log line.
    expect(failed?.apiGatewayRequestId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    // The function's lines come from its process's output, which may arrive a moment after its
    // answer did: wait for its request line, with a bound (no event to wait on).
    await pollUntil(
      () => lines.some((line) => line.includes(String(failedId)) && line.includes('"status":503')),
      10_000,
    );

    // The function's lines as CloudWatch Logs holds them, in the group the stack names.
    const store = new InMemoryLogStore();
    store.createGroup(names.accessLogGroup);
    const now = Date.now();
    for (const line of lines)
      store.append(names.functionLogGroup, { '@timestamp': now, '@message': line });
    const window = { store, start: now - 3_600_000, end: now + 1 };

    const description = String(
      synthStage('prod')
        .all('aws_cloudwatch_metric_alarm')
        .find((alarm) => alarm.alarm_name === 'msgs-prod-api-journey-failing')?.alarm_description,
    );
    const link = (description.match(/https:\/\/\S+/g) ?? [])
      .map(parseConsoleLink)
      .find((parsed) => parsed?.kind === 'logsInsights');
    if (link?.kind !== 'logsInsights') throw new Error('the alarm links no Logs Insights query');
    const fromAlarm = await runQuery(link.query, { ...window, logGroups: link.logGroups });
    const messages = fromAlarm.rows.map(
      (row) => JSON.parse(row['@message']) as Record<string, unknown>,
    );
    expect(
      messages.filter((message) => message[LOG_FIELDS.callerCorrelationId] === failedId),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'ERROR', errorCode: 'SERVICE_UNAVAILABLE' }),
        expect.objectContaining({ level: 'INFO', status: 503 }),
      ]),
    );

    const body = JSON.parse(
      String(synthStage('prod').only('aws_cloudwatch_dashboard').dashboard_body),
    ) as {
      widgets: { properties: { title?: string; query?: string } }[];
    };
    const widget = body.widgets.find(
      (candidate) => candidate.properties.title === "Canaries' requests that failed",
    );
    // The widget names its group by reference; here it is the stack's function log group.
    const query = String(widget?.properties.query).replace(/^SOURCE '[^']+' \| /, '');
    const fromDashboard = await runQuery(query, { ...window, logGroups: [names.functionLogGroup] });
    expect(fromDashboard.rows.map((row) => row[LOG_FIELDS.callerCorrelationId])).toContain(
      failedId,
    );
  });
});
