import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { Construct } from 'constructs';
import { MESSAGES_PATH } from '../../contract/api';
import { CANARY_NAMES, CANARY_STEPS, type CanaryName } from '../../contract/canaries';
import {
  consoleLink,
  API_GATEWAY,
  CLOUDFRONT,
  CLOUDFRONT_METRICS_REGION,
  CLOUDFRONT_REGION_DIMENSION,
  DYNAMODB,
  DYNAMODB_OPERATIONS,
  LAMBDA,
  metric,
  SYNTHETICS,
  dashboardBody,
  FULL_WIDTH,
  HALF_WIDTH,
  THIRD_WIDTH,
  type DashboardBody,
  type HorizontalAnnotation,
  type MetricRow,
  type WidgetSpec,
} from '@monitored/cloudwatch-model';
import { LOG_QUERIES } from './log-queries';
import { dashboardName, deployAlarmName, siteDownAlarmName } from './names';
import {
  linkByReference,
  logGroupLink as logGroupLinkOf,
  thresholdLine,
} from '@monitored/cdktf-monitoring';
import type { StageAlarms, WatchedResources } from './stage-alarms';

export interface HealthDashboardProps {
  /** `<app>-<stage>`, the start of every name. */
  readonly namePrefix: string;
  readonly stage: string;
  readonly region: string;
  readonly watched: WatchedResources;
  readonly alarms: StageAlarms;
  /** References to the stage's website and API. */
  readonly websiteUrl: string;
  readonly apiUrl: string;
  /** References to the log groups, as the dashboard's log widgets name them. */
  readonly functionLogGroup: string;
  readonly accessLogGroup: string;
}

const FIVE_MINUTES = 300;
const GRAPH_HEIGHT = 6;

/**
 * One dashboard per stage: links to everything in a header, every alarm's state, each journey's
 * success and duration (also per step) with the alarm's threshold drawn on the graph, the API,
 * the function, the table and CloudFront side by side, and Logs Insights widgets for errors, slow
 * requests and the canaries' failed requests. Built from typed widgets (widgets.ts); every name in
 * it is a reference to a resource of the same stack, so a renamed resource cannot leave a graph
 * empty. It stays within 50 metrics (counting each metric once, whatever its statistic), the
 * size of the free tier's dashboards.
 */
export class HealthDashboard extends Construct {
  public readonly dashboard: CloudwatchDashboard;
  /** The body before references resolve: what tests and the local preview read. */
  public readonly body: DashboardBody;

  constructor(scope: Construct, id: string, props: HealthDashboardProps) {
    super(scope, id);
    const logGroupLink = (id: string, name: string) => logGroupLinkOf(this, id, props.region, name);
    const logGroupLinks = {
      function: logGroupLink('function', props.functionLogGroup),
      'API access log': logGroupLink('access', props.accessLogGroup),
      ...Object.fromEntries(
        CANARY_NAMES.map((journey) => [
          `${journey} canary`,
          logGroupLink(`${journey}-canary`, props.watched.canaries[journey].logGroupName),
        ]),
      ),
    };
    this.body = dashboardBody([
      header(props, logGroupLinks),
      {
        type: 'alarm',
        title: 'Alarms',
        alarms: props.alarms.all.map((alarm) => alarm.arn),
        width: FULL_WIDTH,
        height: 4,
      },
      ...CANARY_NAMES.flatMap((journey) => journeyWidgets(props, journey)),
      ...apiWidgets(props),
      ...functionWidgets(props),
      ...tableWidgets(props),
      ...cloudfrontWidgets(props),
      ...logWidgets(props),
    ]);
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: dashboardName(props.namePrefix),
      dashboardBody: JSON.stringify(this.body),
    });
  }
}

function header(props: HealthDashboardProps, logGroupLinks: Record<string, string>): WidgetSpec {
  const { region, watched, alarms } = props;
  const link = (title: string, url: string) => `[${title}](${url})`;
  const canaries = CANARY_NAMES.map((journey) => {
    const canary = watched.canaries[journey];
    return link(
      journey,
      linkByReference(consoleLink.canary, region, canary.canary.name, canary.name),
    );
  });
  const alarmLink = (title: string, alarm: { alarmName: string }, name: string) =>
    link(title, linkByReference(consoleLink.alarm, region, alarm.alarmName, name));
  return {
    type: 'text',
    width: FULL_WIDTH,
    // A heading and two lines of links: three rows hold them (four left one empty).
    height: 3,
    markdown: [
      `# ${props.namePrefix}: the message system's health`,
      `${link('Website', props.websiteUrl)} · ${link('API: the count', `${props.apiUrl}${MESSAGES_PATH}`)} · ` +
        `${alarmLink('Site down alarm', alarms.siteDown, siteDownAlarmName(props.namePrefix))} · ` +
        `${alarmLink('Deploy alarm', alarms.deployInProgress, deployAlarmName(props.namePrefix))}: \`npm run deploy-alarm -- ${props.stage} set\` before a deploy, \`clear\` after`,
      '',
      `**Canaries:** ${canaries.join(' · ')} · **Log groups:** ${Object.entries(logGroupLinks)
        .map(([title, url]) => link(title, url))
        .join(' · ')}`,
    ].join('\n'),
  };
}

/** A maker of five-minute graphs of one region and width, with optional threshold lines. */
function graphsOf(region: string, width: number) {
  return (
    title: string,
    rows: MetricRow[],
    thresholds: HorizontalAnnotation[] = [],
  ): WidgetSpec => ({
    type: 'metric',
    title,
    region,
    period: FIVE_MINUTES,
    rows,
    ...(thresholds.length > 0 && { thresholds }),
    width,
    height: GRAPH_HEIGHT,
  });
}

function journeyWidgets(props: HealthDashboardProps, journey: CanaryName): WidgetSpec[] {
  const canary = props.watched.canaries[journey];
  const name = canary.canary.name;
  const failing = props.alarms.byCanary[journey].journeyFailing;
  const stepRows = (spec: typeof SYNTHETICS.stepSuccessPercent): MetricRow[] =>
    CANARY_STEPS[journey].map((step) => ({
      metric: metric(spec, { CanaryName: name, StepName: step }),
      label: step,
    }));
  return [
    {
      type: 'metric',
      title: `${journey} journey: success % (after retries), and per step`,
      region: props.region,
      period: FIVE_MINUTES,
      rows: [
        { metric: failing.metric, label: 'journey', color: '#1f77b4' },
        ...stepRows(SYNTHETICS.stepSuccessPercent),
      ],
      thresholds: thresholdLine(failing),
      yAxis: { left: { min: 0, max: 100 } },
      width: HALF_WIDTH,
      height: GRAPH_HEIGHT,
    },
    {
      type: 'metric',
      // The run timeout is in the title, not a line: a line at it would scale the axis to the
      // timeout (30 s, 120 s) and flatten runs of a second or two against the floor.
      title: `${journey} journey: duration (ms), and per step; a run times out at ${canary.schedule.timeoutSeconds} s`,
      region: props.region,
      period: FIVE_MINUTES,
      rows: [
        { metric: metric(SYNTHETICS.duration, { CanaryName: name }), label: 'run' },
        ...stepRows(SYNTHETICS.stepDuration),
      ],
      width: HALF_WIDTH,
      height: GRAPH_HEIGHT,
    },
  ];
}

function apiWidgets(props: HealthDashboardProps): WidgetSpec[] {
  const dimensions = { ApiId: props.watched.apiId, Stage: props.watched.apiStage };
  const graph = graphsOf(props.region, THIRD_WIDTH);
  return [
    graph('API: requests and errors', [
      { metric: metric(API_GATEWAY.count, dimensions), label: 'requests' },
      { metric: metric(API_GATEWAY.clientErrors, dimensions), label: '4xx' },
      { metric: metric(API_GATEWAY.serverErrors, dimensions), label: '5xx' },
    ]),
    graph(
      'API: share of requests answered 5xx',
      [
        {
          metric: metric(API_GATEWAY.serverErrors, dimensions),
          stat: 'Average',
          label: '5xx rate',
        },
      ],
      thresholdLine(props.alarms.service.apiServerErrorRate),
    ),
    graph('API: latency (ms)', [
      { metric: metric(API_GATEWAY.latency, dimensions), stat: 'p50', label: 'latency p50' },
      { metric: metric(API_GATEWAY.latency, dimensions), stat: 'p99', label: 'latency p99' },
      {
        metric: metric(API_GATEWAY.integrationLatency, dimensions),
        stat: 'p50',
        label: 'integration p50',
      },
      {
        metric: metric(API_GATEWAY.integrationLatency, dimensions),
        stat: 'p99',
        label: 'integration p99',
      },
    ]),
  ];
}

function functionWidgets(props: HealthDashboardProps): WidgetSpec[] {
  const fn = { FunctionName: props.watched.functionName };
  const timeoutMs = props.watched.functionTimeoutSeconds * 1000;
  const graph = graphsOf(props.region, THIRD_WIDTH);
  return [
    graph('Function: invocations, errors, throttles', [
      { metric: metric(LAMBDA.invocations, fn), label: 'invocations' },
      { metric: metric(LAMBDA.errors, fn), label: 'errors' },
      { metric: metric(LAMBDA.throttles, fn), label: 'throttles' },
    ]),
    graph(
      'Function: duration (ms)',
      [
        { metric: metric(LAMBDA.duration, fn), stat: 'p50', label: 'p50' },
        { metric: metric(LAMBDA.duration, fn), stat: 'p99', label: 'p99' },
        { metric: metric(LAMBDA.duration, fn), stat: 'Maximum', label: 'max' },
      ],
      [
        { value: timeoutMs, label: 'timeout' },
        ...thresholdLine(props.alarms.service.functionDurationNearTimeout),
      ],
    ),
    graph('Function: concurrent executions', [
      { metric: metric(LAMBDA.concurrentExecutions, fn), label: 'concurrent' },
    ]),
  ];
}

function tableWidgets(props: HealthDashboardProps): WidgetSpec[] {
  const table = { TableName: props.watched.tableName };
  const perOperation = (
    spec: typeof DYNAMODB.successfulRequestLatency,
    stat?: 'SampleCount',
    suffix = '',
  ): MetricRow[] =>
    DYNAMODB_OPERATIONS.map((operation) => ({
      metric: metric(spec, { ...table, Operation: operation }),
      ...(stat !== undefined && { stat }),
      label: `${operation}${suffix}`,
    }));
  const graph = graphsOf(props.region, THIRD_WIDTH);
  return [
    graph('Table: latency by operation (ms)', perOperation(DYNAMODB.successfulRequestLatency)),
    graph('Table: consumed capacity units', [
      { metric: metric(DYNAMODB.consumedReadCapacityUnits, table), label: 'read' },
      { metric: metric(DYNAMODB.consumedWriteCapacityUnits, table), label: 'write' },
    ]),
    // The successful requests keep this graph meaningful while nothing fails.
    graph('Table: requests, throttles, errors, conflicts', [
      ...perOperation(DYNAMODB.successfulRequestLatency, 'SampleCount', ' requests'),
      { metric: metric(DYNAMODB.readThrottleEvents, table), label: 'read throttles' },
      { metric: metric(DYNAMODB.writeThrottleEvents, table), label: 'write throttles' },
      ...perOperation(DYNAMODB.systemErrors, undefined, ' system errors'),
      { metric: metric(DYNAMODB.transactionConflict, table), label: 'transaction conflicts' },
    ]),
  ];
}

function cloudfrontWidgets(props: HealthDashboardProps): WidgetSpec[] {
  const distribution = {
    DistributionId: props.watched.distributionId,
    Region: CLOUDFRONT_REGION_DIMENSION,
  };
  // CloudFront publishes only in us-east-1: the rows say so, whatever the stage's region.
  const graph = graphsOf(CLOUDFRONT_METRICS_REGION, HALF_WIDTH);
  return [
    graph('Website (CloudFront): requests', [
      { metric: metric(CLOUDFRONT.requests, distribution), label: 'requests' },
    ]),
    graph(
      'Website (CloudFront): error rates (%)',
      [
        { metric: metric(CLOUDFRONT.errorRate4xx, distribution), label: '4xx' },
        { metric: metric(CLOUDFRONT.errorRate5xx, distribution), label: '5xx' },
      ],
      thresholdLine(props.alarms.service.websiteServerErrorRate),
    ),
  ];
}

function logWidgets(props: HealthDashboardProps): WidgetSpec[] {
  const both = [props.functionLogGroup, props.accessLogGroup];
  const canaryGroups = CANARY_NAMES.map((journey) => props.watched.canaries[journey].logGroupName);
  const log = (
    title: string,
    logGroups: string[],
    query: readonly string[],
    width: number,
    view?: 'timeSeries',
  ): WidgetSpec => ({
    type: 'log',
    title,
    region: props.region,
    logGroups,
    query,
    ...(view !== undefined && { view }),
    width,
    height: GRAPH_HEIGHT,
  });
  return [
    log(
      'Recent errors (function ERROR lines and 5xx answers)',
      both,
      LOG_QUERIES.recentErrors,
      FULL_WIDTH,
    ),
    log('Slowest requests', [props.functionLogGroup], LOG_QUERIES.slowestRequests, HALF_WIDTH),
    log(
      "Canaries' requests that failed",
      [props.functionLogGroup],
      LOG_QUERIES.canaryFailures,
      HALF_WIDTH,
    ),
    log(
      'What the canaries logged as errors',
      canaryGroups,
      LOG_QUERIES.canaryRunErrors,
      HALF_WIDTH,
    ),
    log(
      'Messages created per hour',
      [props.functionLogGroup],
      LOG_QUERIES.messagesCreated,
      HALF_WIDTH,
      'timeSeries',
    ),
  ];
}
