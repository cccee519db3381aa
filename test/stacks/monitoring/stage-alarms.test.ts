import { METRICS } from '../../../stacks/monitoring/catalogue';
import { CANARY_NAMES } from '../../../contract/canaries';
import { localStandIns, parseQuery } from '@monitored/cloudwatch-local';
import { TerraformResolver, type TerraformJson } from '@monitored/terraform-json';
import { parseConsoleLink } from '@monitored/cloudwatch-model';

import { buildStage, synthJson, synthStage, type Synthesized } from '../../support/synth';

type Alarm = Record<string, unknown> & { alarm_name: string };
const metricAlarms = (s: Synthesized) => s.all('aws_cloudwatch_metric_alarm') as Alarm[];
const byName = (s: Synthesized, name: string) => {
  const found = metricAlarms(s).find((alarm) => alarm.alarm_name === name);
  if (found === undefined) throw new Error(`no alarm ${name}`);
  return found;
};
const composite = (s: Synthesized, name: string) => {
  const found = (s.all('aws_cloudwatch_composite_alarm') as Alarm[]).find(
    (alarm) => alarm.alarm_name === name,
  );
  if (found === undefined) throw new Error(`no composite alarm ${name}`);
  return found;
};
const links = (description: unknown) => String(description).match(/https:\/\/\S+/g) ?? [];

/** The id AWS adds to a canary's function name (36 characters: the longest name it makes). */
const AWS_MADE_ID = '0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0';

/** Resolves a stack's expressions as AWS would fill them in, canary function names included. */
function resolverOf(s: Synthesized): TerraformResolver {
  const standIns = localStandIns((config) => String(config.region ?? 'us-east-1'));
  return new TerraformResolver(s.json as TerraformJson, (type, name, attribute, config) =>
    type === 'aws_synthetics_canary' && attribute === 'engine_arn'
      ? `arn:aws:lambda:us-east-1:123456789012:function:cwsyn-${String(config.name)}-${AWS_MADE_ID}:1`
      : standIns(type, name, attribute, config),
  );
}

describe.each(['dev', 'prod'] as const)('the %s alarms', (stage) => {
  const s = () => synthStage(stage);
  const prefix = `msgs-${stage}`;
  const topic = () => s().ref('aws_sns_topic', 'arn');

  it.each(CANARY_NAMES)(
    'give the %s canary its three alarms, on the metrics and periods of its schedule',
    (journey) => {
      const canaryName = s().refAt('aws_synthetics_canary', `canaries/${journey}/canary`, 'name');
      const interval = { dev: { api: 7200, website: 43200 }, prod: { api: 360, website: 3600 } }[
        stage
      ][journey];
      expect(byName(s(), `${prefix}-${journey}-journey-failing`)).toMatchObject({
        namespace: 'CloudWatchSynthetics',
        // Retries are on: a run that a retry fixed must not page.
        metric_name: 'SuccessPercentWithRetries',
        dimensions: { CanaryName: canaryName },
        statistic: 'Average',
        comparison_operator: 'LessThanThreshold',
        threshold: 100,
        period: interval,
        evaluation_periods: 1,
        datapoints_to_alarm: 1,
        treat_missing_data: 'notBreaching',
      });
      expect(byName(s(), `${prefix}-${journey}-canary-not-running`)).toMatchObject({
        metric_name: 'SuccessPercentWithRetries',
        dimensions: { CanaryName: canaryName },
        statistic: 'SampleCount',
        comparison_operator: 'LessThanThreshold',
        threshold: 1,
        // No run in 2 of 2 intervals, and in the more periods AWS reads: a run late or skipped
        // once does not alarm.
        period: interval,
        evaluation_periods: 2,
        datapoints_to_alarm: 2,
        // A stopped or deleted canary publishes nothing: no data must alarm.
        treat_missing_data: 'breaching',
      });
      expect(byName(s(), `${prefix}-${journey}-canary-broken`)).toMatchObject({
        metric_name: 'Failed',
        dimensions: { CanaryName: canaryName },
        statistic: 'Sum',
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
        period: interval,
      });
    },
  );

  it('notifies the stage\'s topic on ALARM and on OK, from every alarm but the canaries\' not running, which page through "site down", and deployed-recently, which only guards them', () => {
    const silent = [
      ...CANARY_NAMES.map((journey) => `${prefix}-${journey}-canary-not-running`),
      `${prefix}-deployed-recently`,
    ];
    const alarms = [
      ...metricAlarms(s()),
      ...(s().all('aws_cloudwatch_composite_alarm') as Alarm[]),
    ];
    const notifying = alarms.filter((alarm) => !silent.includes(alarm.alarm_name));
    expect(alarms.length - notifying.length).toBe(silent.length);
    for (const alarm of notifying) {
      expect(alarm).toMatchObject({ alarm_actions: [topic()], ok_actions: [topic()] });
      expect(alarm).not.toHaveProperty('provider');
    }
    for (const name of silent) {
      expect(byName(s(), name)).not.toHaveProperty('alarm_actions');
      expect(byName(s(), name)).not.toHaveProperty('ok_actions');
    }
  });

  it('pages through one composite, "site down": a journey failing, or a canary not running outside the hours after a deploy; quiet while the deploy alarm is in ALARM', () => {
    const composites = s().all('aws_cloudwatch_composite_alarm') as Alarm[];
    expect(composites.map((alarm) => alarm.alarm_name)).toEqual([`${prefix}-site-down`]);
    const siteDown = composite(s(), `${prefix}-site-down`);
    expect(siteDown.alarm_rule).toBe(
      `ALARM("${prefix}-website-journey-failing") OR ALARM("${prefix}-api-journey-failing") OR ` +
        `((ALARM("${prefix}-website-canary-not-running") OR ALARM("${prefix}-api-canary-not-running")) ` +
        `AND NOT ALARM("${prefix}-deployed-recently"))`,
    );
    const api = { dev: 7200, prod: 360 }[stage];
    expect(siteDown.actions_suppressor).toEqual({
      alarm: `${prefix}-deploy-in-progress`,
      // A minute for the deploy alarm to reach ALARM: also covers a new stage's composite
      // evaluated before deployed-recently has a state.
      wait_period: 60,
      // One more API journey (30 s timeout, one retry) after the deploy, and a minute.
      extension_period: api + 2 * 30 + 60,
    });
    expect(siteDown.depends_on).toEqual(
      expect.arrayContaining(
        [
          'deploy-in-progress',
          'deployed-recently',
          ...CANARY_NAMES.flatMap((journey) => [
            `${journey}-journey-failing`,
            `${journey}-canary-not-running`,
          ]),
        ].map((what) =>
          expect.stringMatching(new RegExp(`^aws_cloudwatch_metric_alarm\\..*${what}`)),
        ),
      ),
    );
    const description = String(siteDown.alarm_description);
    expect(description).toContain('pages when a journey canary fails after its retries');
    expect(description).toContain('or a canary stops running outside the hours after a deploy');
    expect(description).toContain('The reason names the child that changed');
  });

  it("counts a deploy as recent, from its hold and from its release, for the longest canary's interval, its run and retry and 5 minutes", () => {
    const deployedRecently = byName(s(), `${prefix}-deployed-recently`);
    // The website canary's interval (dev: a 12-hour cron; prod: hourly), its run and retry at
    // 120 s each, and 5 minutes for Synthetics to start a new canary, in minutes.
    const minutes = { dev: (43200 + 2 * 120 + 300) / 60, prod: (3600 + 2 * 120 + 300) / 60 }[stage];
    expect(deployedRecently).not.toHaveProperty('dimensions');
    expect(deployedRecently).toMatchObject({
      // The deploy alarm's own data: a hold and a release are both datapoints, though a
      // released minute's Sum is 0.
      namespace: prefix,
      metric_name: 'DeployInProgress',
      statistic: 'SampleCount',
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      period: 60,
      evaluation_periods: minutes,
      datapoints_to_alarm: 1,
      treat_missing_data: 'notBreaching',
    });
    expect(minutes * 60).toBeLessThanOrEqual(86_400);
  });

  it('holds the deploy alarm in ALARM while a hold is in its last 2 hours of minutes, and at OK with no data', () => {
    const deploy = byName(s(), `${prefix}-deploy-in-progress`);
    // The stage's own namespace: its deploy role may send to it, and to no other stage's.
    expect(deploy).not.toHaveProperty('dimensions');
    expect(deploy).toMatchObject({
      namespace: prefix,
      metric_name: 'DeployInProgress',
      statistic: 'Sum',
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      // Any held minute of the last 2 hours, a released one (Sum 0) not.
      period: 60,
      evaluation_periods: 120,
      datapoints_to_alarm: 1,
      // No hold: no deploy. An alarm that never saw one is OK, not INSUFFICIENT_DATA.
      treat_missing_data: 'notBreaching',
      alarm_actions: [topic()],
      ok_actions: [topic()],
    });
    expect(String(deploy.alarm_description)).toContain(
      `npm run deploy-alarm -- ${stage} set|clear`,
    );
    expect(String(deploy.alarm_description)).toContain(`npm run deploy-alarm -- ${stage} clear`);
  });

  it('watches only metrics of the catalogue, with their dimension names', () => {
    for (const alarm of metricAlarms(s())) {
      const dimensions = Object.keys((alarm.dimensions ?? {}) as Record<string, string>);
      expect([
        alarm.alarm_name,
        METRICS.find(String(alarm.namespace), String(alarm.metric_name), dimensions),
      ]).toEqual([alarm.alarm_name, expect.objectContaining({ name: alarm.metric_name })]);
    }
  });

  it('says in each description what broke and what to check first, with links to the dashboard and a query that runs', () => {
    const region = stage === 'dev' ? 'us-west-2' : 'us-east-1';
    const canaryLogGroups = CANARY_NAMES.map(
      (journey) => `/aws/lambda/cwsyn-${prefix}-${journey}-${AWS_MADE_ID}`,
    );
    const resolve = resolverOf(s());
    for (const type of ['aws_cloudwatch_metric_alarm', 'aws_cloudwatch_composite_alarm']) {
      for (const [key, alarm] of Object.entries(s().json.resource[type])) {
        // As AWS will hold it: the canaries' function names as long as AWS makes them.
        const description = String(resolve.attribute(type, key, 'alarm_description'));
        expect(description.length).toBeLessThanOrEqual(1024);
        if (alarm.alarm_name === `${prefix}-deploy-in-progress`) continue;
        expect(description).toMatch(/Check first|check first/);
        const parsed = links(description).map(parseConsoleLink);
        expect(parsed).toContainEqual({ kind: 'dashboard', region, name: `${prefix}-health` });
        // It sends nothing, and has no requests of its own to look at.
        if (alarm.alarm_name === `${prefix}-deployed-recently`) continue;
        const queries = parsed.filter((link) => link?.kind === 'logsInsights');
        expect([alarm.alarm_name, queries.length]).not.toEqual([alarm.alarm_name, 0]);
        for (const link of queries) {
          expect([
            [`/aws/lambda/${prefix}-api`, `/aws/apigateway/${prefix}-api`],
            ...canaryLogGroups.map((group) => [group]),
          ]).toContainEqual(link.logGroups);
          expect(() => parseQuery(link.query)).not.toThrow();
        }
      }
    }
  });

  it("links a canary's not-running and broken alarms to what its runs logged", () => {
    const resolve = resolverOf(s());
    for (const journey of CANARY_NAMES) {
      for (const suffix of ['canary-not-running', 'canary-broken']) {
        const [key] = Object.entries(s().json.resource.aws_cloudwatch_metric_alarm).find(
          ([, alarm]) => alarm.alarm_name === `${prefix}-${journey}-${suffix}`,
        ) ?? [''];
        const description = resolve.attribute(
          'aws_cloudwatch_metric_alarm',
          key,
          'alarm_description',
        );
        expect(links(description).map(parseConsoleLink)).toContainEqual(
          expect.objectContaining({
            kind: 'logsInsights',
            logGroups: [`/aws/lambda/cwsyn-${prefix}-${journey}-${AWS_MADE_ID}`],
          }),
        );
      }
    }
  });

  it("tells what to look at in a failed run by the canary's kind: a screenshot for the browser journey only", () => {
    const checkFirst = (journey: string) =>
      String(byName(s(), `${prefix}-${journey}-journey-failing`).alarm_description);

    expect(checkFirst('website')).toContain('screenshot');
    expect(checkFirst('api')).not.toContain('screenshot');
    expect(checkFirst('api')).toContain(
      "the canary's failed run (its failed step's error and request ids)",
    );
  });

  it("links each canary alarm to the canary's page and to its own requests in the logs", () => {
    for (const journey of CANARY_NAMES) {
      const parsed = links(
        byName(s(), `${prefix}-${journey}-journey-failing`).alarm_description,
      ).map(parseConsoleLink);
      expect(parsed).toContainEqual(
        expect.objectContaining({ kind: 'canary', name: `${prefix}-${journey}` }),
      );
      const logs = parsed.find((link) => link?.kind === 'logsInsights');
      expect(logs).toMatchObject({
        query: expect.stringContaining(
          `caller_correlation_id like /^canary-${prefix}-${journey}-/`,
        ),
      });
    }
  });
});

describe('the services alarms', () => {
  it('are in prod, with the thresholds of the table', () => {
    const prod = synthStage('prod');
    const api = byName(prod, 'msgs-prod-api-server-error-rate');
    expect(api).toMatchObject({
      namespace: 'AWS/ApiGateway',
      metric_name: '5xx',
      dimensions: {
        ApiId: prod.ref('aws_apigatewayv2_api', 'id'),
        Stage: prod.ref('aws_apigatewayv2_stage', 'name'),
      },
      statistic: 'Average',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0.05,
      evaluation_periods: 3,
      datapoints_to_alarm: 2,
      treat_missing_data: 'notBreaching',
    });
    expect(byName(prod, 'msgs-prod-function-duration-near-timeout')).toMatchObject({
      dimensions: { FunctionName: prod.ref('aws_lambda_function', 'function_name') },
      statistic: 'Maximum',
      threshold: 4000,
    });
    expect(byName(prod, 'msgs-prod-table-system-errors-transact-write-items')).toMatchObject({
      dimensions: {
        TableName: prod.ref('aws_dynamodb_table', 'name'),
        Operation: 'TransactWriteItems',
      },
      // AWS/DynamoDB alarms only default to ignoring missing data; an explicit treatment wins.
      treat_missing_data: 'notBreaching',
    });
    expect(byName(prod, 'msgs-prod-website-server-error-rate')).toMatchObject({
      namespace: 'AWS/CloudFront',
      dimensions: {
        DistributionId: prod.ref('aws_cloudfront_distribution', 'id'),
        Region: 'Global',
      },
    });
    expect(
      metricAlarms(prod)
        .map((alarm) => alarm.alarm_name)
        .sort(),
    ).toEqual(
      [
        'api-server-error-rate',
        'function-errors',
        'function-throttles',
        'function-duration-near-timeout',
        'table-read-throttles',
        'table-write-throttles',
        'table-system-errors-get-item',
        'table-system-errors-transact-write-items',
        'website-server-error-rate',
        'deploy-in-progress',
        'deployed-recently',
        ...CANARY_NAMES.flatMap((journey) =>
          ['journey-failing', 'canary-not-running', 'canary-broken'].map(
            (what) => `${journey}-${what}`,
          ),
        ),
      ]
        .map((what) => `msgs-prod-${what}`)
        .sort(),
    );
  });

  it('are not in dev, whose budget they do not fit', () => {
    expect(
      metricAlarms(synthStage('dev')).filter(
        (alarm) =>
          String(alarm.namespace) !== 'CloudWatchSynthetics' && alarm.namespace !== 'msgs-dev',
      ),
    ).toEqual([]);
  });

  it("put CloudFront's alarm, its topic and key in us-east-1 for a stage elsewhere", () => {
    const dev = synthJson(buildStage('dev', { serviceAlarms: true }));
    const cloudfront = byName(dev, 'msgs-dev-website-server-error-rate');
    expect(cloudfront.provider).toBe('aws.cloudfront_metrics');
    expect(dev.awsProviders()).toContainEqual(
      expect.objectContaining({ alias: 'cloudfront_metrics', region: 'us-east-1' }),
    );
    const topics = dev.json.resource.aws_sns_topic as Record<string, Record<string, unknown>>;
    const [eastTopic] = Object.entries(topics).filter(
      ([, topicConfig]) => topicConfig.provider === 'aws.cloudfront_metrics',
    );
    expect(cloudfront.alarm_actions).toEqual([`\${aws_sns_topic.${eastTopic[0]}.arn}`]);
    expect(eastTopic[1].kms_master_key_id).toMatch(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/);
    const keys = Object.values(
      dev.json.resource.aws_kms_key as Record<string, Record<string, unknown>>,
    );
    expect(keys.map((key) => key.provider)).toEqual([undefined, 'aws.cloudfront_metrics']);
  });
});
