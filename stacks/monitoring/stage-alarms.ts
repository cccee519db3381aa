import type { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { CANARY_CORRELATION_PREFIX, CANARY_NAMES, type CanaryName } from '../../contract/canaries';
import {
  canaryPaging,
  lambdaLogGroupName,
  type AlarmDestination,
  type BuiltAlarm,
  type Canary,
  type CanaryAlarms,
  type PagedCanary,
  tableAlarms,
  type TableAlarm,
} from '@monitored/cdktf-monitoring';
import type { StageNames } from '../shared/stage-names';
import {
  consoleLink,
  linkWithReference,
  CLOUDFRONT_REGION_DIMENSION,
  DYNAMODB_OPERATIONS,
  metric,
  API_GATEWAY,
  CLOUDFRONT,
  DYNAMODB,
  LAMBDA,
} from '@monitored/cloudwatch-model';
import { canaryFailuresBrief, LOG_QUERIES } from './log-queries';
import { alarmName, dashboardName } from './names';
import { journeyCheckFirst, SERVICE_THRESHOLDS } from './thresholds';

/** The stage's resources the alarms watch, as references (dimension values) and names (links). */
export interface WatchedResources {
  readonly names: StageNames;
  readonly functionName: string;
  readonly functionTimeoutSeconds: number;
  readonly tableName: string;
  readonly apiId: string;
  readonly apiStage: string;
  readonly distributionId: string;
  readonly canaries: Readonly<Record<CanaryName, Canary>>;
}

export interface StageAlarmsProps {
  /** `<app>-<stage>`, the start of every name. */
  readonly namePrefix: string;
  readonly stage: string;
  readonly watched: WatchedResources;
  /** The stage's region and its alarm topic. */
  readonly home: AlarmDestination;
  /**
   * Where CloudFront's alarm goes: its metrics exist only in us-east-1, so the alarm and its topic
   * must be there. Undefined leaves the CloudFront alarm out.
   */
  readonly cloudfront?: AlarmDestination;
  /** The services' alarms (API, function, table, CloudFront) besides the canaries'. */
  readonly serviceAlarms: boolean;
}

/**
 * The stage's alarms: three per canary (journey failing, not running, canary broken), the services'
 * alarms from the thresholds table, the "deploy in progress" alarm that a deploy holds, the
 * "deployed recently" alarm on the same data, and the one composite that pages, "site down": a
 * journey failing, or a canary not running outside the hours after a deploy. It is quiet while the
 * deploy alarm is in ALARM, and for one more API journey after. Every alarm notifies its region's
 * topic on ALARM and on OK, but the "not running" ones (through "site down") and "deployed
 * recently" (which only guards them); each description says what broke, what to check first, and
 * links to the dashboard, the canary and a Logs Insights query over the right log groups. The
 * canaries' alarms, the deploy alarms and "site down" are @monitored/cdktf-monitoring's
 * canaryPaging, given this app's names, links and deploy-alarm commands.
 *
 * Why "not running" pages through the composite, guarded: a canary that has not run yet publishes
 * nothing, exactly as one that stopped, so a new stage's "not running" alarms are in ALARM from
 * their first evaluation, for up to an interval (12 hours for dev's website canary, whose cron
 * first runs at its next time). Nothing in a metric alarm can tell the two apart, and a metric
 * alarm has no suppressor. "Deployed recently" ($0.10) is in ALARM for the longest canary interval,
 * its run with retries and 5 minutes after each hold or release of the deploy alarm (their data
 * arrives before the alarms exist: deploy-hold.ts), and the composite reads `not running AND NOT
 * deployed recently`: a canary that has still not run when that ends, or stops later, pages. A
 * second composite with a long ExtensionPeriod did the same for $0.50, over dev's $3 budget. The
 * other ways considered: treating missing data as anything but breaching silences a canary that
 * never starts; an M-of-N alarm still fills a new alarm's missing points with the treatment
 * (alarms-and-missing-data.html); a grace datapoint in the alarm's metric would need metric math
 * ($0.10 more an alarm, and FILL of a series with no data at all is not documented) or writing
 * into CloudWatchSynthetics, and PutMetricData takes time stamps at most 2 hours ahead, short of
 * dev's 12.
 */
export class StageAlarms extends Construct {
  public readonly metricAlarms: BuiltAlarm[] = [];
  /** The services' alarms by their row in the thresholds table (system errors: the first operation's). */
  public readonly service: Partial<Record<keyof typeof SERVICE_THRESHOLDS, BuiltAlarm>> = {};
  public readonly byCanary: Readonly<Record<CanaryName, CanaryAlarms>>;
  public readonly deployInProgress: CloudwatchMetricAlarm;
  /** The "deployed recently" alarm: no actions, read by "site down" only. */
  public readonly deployedRecently: BuiltAlarm;
  public readonly siteDown: CloudwatchCompositeAlarm;
  /** What the alarms watch, for the dashboard beside them. */
  public readonly watched: WatchedResources;

  constructor(scope: Construct, id: string, props: StageAlarmsProps) {
    super(scope, id);
    this.watched = props.watched;
    const { watched, home, namePrefix } = props;
    const dashboardUrl = consoleLink.dashboard(home.region, dashboardName(namePrefix));
    const logsOf = (region: string, query: readonly string[]) =>
      consoleLink.logsInsights({
        region,
        logGroups: [watched.names.functionLogGroup, watched.names.accessLogGroup],
        query: query.join('\n| '),
      });

    // What a canary's runs logged, in its own log group: named after the Lambda function AWS makes
    // for the canary, so the link holds a reference to that name (which needs no encoding).
    const canaryLogLinks = Object.fromEntries(
      CANARY_NAMES.map((journey) => [
        journey,
        linkWithReference(
          (functionName) =>
            consoleLink.logsInsights({
              region: home.region,
              logGroups: [lambdaLogGroupName(functionName)],
              query: LOG_QUERIES.canaryRunErrors.join('\n| '),
            }),
          watched.canaries[journey].functionName,
        ),
      ]),
    ) as Record<CanaryName, string>;

    // Each canary's three alarms, the deploy alarm, "deployed recently" and "site down", built in
    // this construct (their ids and so their Terraform addresses are this construct's own).
    const dashboardLink = `Dashboard: ${dashboardUrl}`;
    const paging = canaryPaging<CanaryName>(this, {
      canaries: Object.fromEntries(
        CANARY_NAMES.map((journey) => {
          const name = watched.names.canary(journey);
          const canaryLink = `Canary: ${consoleLink.canary(home.region, name)}`;
          // Only a failing journey has requests of its own to look at; a canary that does not run
          // or cannot run is seen on its page (runs, state, its own log).
          const requestsLink = `Its requests in the logs: ${logsOf(home.region, canaryFailuresBrief(`${CANARY_CORRELATION_PREFIX}${name}-`))}`;
          const ownLogLink = `Its own log: ${canaryLogLinks[journey]}`;
          const paged: PagedCanary = {
            canary: watched.canaries[journey],
            journeyCheckFirst: journeyCheckFirst(journey),
            links: {
              journeyFailing: [dashboardLink, canaryLink, requestsLink],
              // Pages through "site down", which can tell a new stage's first runs still to come.
              notRunning: [dashboardLink, canaryLink, ownLogLink],
              broken: [dashboardLink, canaryLink, ownLogLink],
            },
          };
          return [journey, paged];
        }),
      ) as Record<CanaryName, PagedCanary>,
      destination: home,
      alarmName: (id) => alarmName(namePrefix, id),
      deployHold: {
        namespace: namePrefix,
        howHeld: `Held and released by npm run deploy-alarm -- ${props.stage} set|clear (the pipeline does both around each deploy).`,
        releaseCommand: `npm run deploy-alarm -- ${props.stage} clear`,
        quieted: 'its "site down" alarm',
      },
      links: [dashboardLink],
      pagingDescription:
        `${props.stage} down or unwatched: pages when a journey canary fails after its retries, or a canary stops running outside the hours after a deploy. ` +
        `The reason names the child that changed: journey-failing, canary-not-running, or deployed-recently going OK while a canary had not run yet. ` +
        `Check first that canary's failed run and requests, or its state. ` +
        `Dashboard: ${dashboardUrl} Canary requests: ${logsOf(home.region, canaryFailuresBrief(CANARY_CORRELATION_PREFIX))}`,
      // Its runs come every few minutes in prod (hours in dev, still the sooner of the two).
      settleAfterDeploy: 'api',
    });
    this.byCanary = paging.byCanary;
    this.deployInProgress = paging.deployInProgress;
    this.deployedRecently = paging.deployedRecently;
    this.siteDown = paging.siteDown;
    this.metricAlarms.push(
      ...CANARY_NAMES.flatMap((journey) => {
        const { journeyFailing, notRunning, broken } = this.byCanary[journey];
        return [journeyFailing, notRunning, broken];
      }),
    );

    if (props.serviceAlarms) {
      const errorsLink = `Recent errors: ${logsOf(home.region, LOG_QUERIES.recentErrors)}`;
      const slowLink = `Slowest requests: ${logsOf(home.region, LOG_QUERIES.slowestRequests)}`;
      const dashboard = `Dashboard: ${dashboardUrl}`;
      const fn = { FunctionName: watched.functionName };
      const table = { TableName: watched.tableName };
      const near = SERVICE_THRESHOLDS.functionDurationNearTimeout;
      const rows: TableAlarm<keyof typeof SERVICE_THRESHOLDS>[] = [
        {
          key: 'apiServerErrorRate',
          metric: metric(API_GATEWAY.serverErrors, {
            ApiId: watched.apiId,
            Stage: watched.apiStage,
          }),
          links: [dashboard, errorsLink],
        },
        {
          key: 'functionErrors',
          metric: metric(LAMBDA.errors, fn),
          links: [dashboard, errorsLink],
        },
        {
          key: 'functionThrottles',
          metric: metric(LAMBDA.throttles, fn),
          links: [dashboard, errorsLink],
        },
        {
          key: 'functionDurationNearTimeout',
          metric: metric(LAMBDA.duration, fn),
          links: [dashboard, slowLink],
          threshold: { ...near, threshold: near.threshold * watched.functionTimeoutSeconds * 1000 },
        },
        {
          key: 'tableReadThrottles',
          metric: metric(DYNAMODB.readThrottleEvents, table),
          links: [dashboard, errorsLink],
        },
        {
          key: 'tableWriteThrottles',
          metric: metric(DYNAMODB.writeThrottleEvents, table),
          links: [dashboard, errorsLink],
        },
        ...DYNAMODB_OPERATIONS.map((operation) => ({
          key: 'tableSystemErrors' as const,
          suffix: operation,
          metric: metric(DYNAMODB.systemErrors, { ...table, Operation: operation }),
          links: [dashboard, errorsLink],
        })),
      ];
      if (props.cloudfront !== undefined) {
        rows.push({
          key: 'websiteServerErrorRate',
          metric: metric(CLOUDFRONT.errorRate5xx, {
            DistributionId: watched.distributionId,
            Region: CLOUDFRONT_REGION_DIMENSION,
          }),
          // CloudFront keeps no logs here; the website journey's browser saw what visitors saw.
          links: [dashboard, `Website canary's log: ${canaryLogLinks.website}`],
          destination: props.cloudfront,
        });
      }
      const service = tableAlarms(this, {
        table: SERVICE_THRESHOLDS,
        alarms: rows,
        name: (key, suffix) => alarmName(namePrefix, kebab(`${key}${suffix}`)),
        destination: home,
      });
      this.metricAlarms.push(...service.all);
      Object.assign(this.service, service.byKey);
    }

    this.metricAlarms.push(this.deployedRecently);
  }

  /** Every alarm of the stage: the metric alarms, the deploy alarm and the composite. */
  get all(): (CloudwatchMetricAlarm | CloudwatchCompositeAlarm)[] {
    return [...this.metricAlarms.map((built) => built.alarm), this.deployInProgress, this.siteDown];
  }
}

const kebab = (camel: string) => camel.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
