import type { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { CANARY_CORRELATION_PREFIX, CANARY_NAMES, type CanaryName } from '../../contract/canaries';
import {
  canaryAlarms,
  deployAlarm,
  lambdaLogGroupName,
  pagingComposite,
  thresholdAlarm,
  type AlarmDestination,
  type BuiltAlarm,
  type Canary,
  type CanaryAlarms,
  type ThresholdAlarmProps,
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
  scheduleInterval,
} from '@monitored/cloudwatch-model';
import { canaryFailuresBrief, LOG_QUERIES } from './log-queries';
import {
  alarmName,
  dashboardName,
  deployAlarmName,
  deployedRecentlyAlarmName,
  siteDownAlarmName,
} from './names';
import {
  canaryThresholds,
  deployedRecentlyThreshold,
  deployHoldThreshold,
  newCanaryGraceSeconds,
  SERVICE_THRESHOLDS,
  siteDownSuppression,
} from './thresholds';

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
 * links to the dashboard, the canary and a Logs Insights query over the right log groups.
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

    this.byCanary = Object.fromEntries(
      CANARY_NAMES.map((journey) => {
        const canary = watched.canaries[journey];
        const interval = scheduleInterval(canary.schedule.expression);
        if (interval.kind !== 'every') {
          throw new Error(
            `canary ${canary.name}: alarms need a canary that runs on a schedule (${canary.schedule.expression})`,
          );
        }
        const thresholds = canaryThresholds({
          intervalSeconds: interval.seconds,
          retries: canary.schedule.maxRetries,
          journey,
        });
        const name = watched.names.canary(journey);
        const canaryLink = `Canary: ${consoleLink.canary(home.region, name)}`;
        // Only a failing journey has requests of its own to look at; a canary that does not run
        // or cannot run is seen on its page (runs, state, its own log).
        const requestsLink = `Its requests in the logs: ${logsOf(home.region, canaryFailuresBrief(`${CANARY_CORRELATION_PREFIX}${name}-`))}`;
        const ownLogLink = `Its own log: ${canaryLogLinks[journey]}`;
        const journeyAlarms = canaryAlarms(this, {
          canary,
          thresholds,
          ids: {
            journeyFailing: `${journey}-journey-failing`,
            notRunning: `${journey}-canary-not-running`,
            broken: `${journey}-canary-broken`,
          },
          names: {
            journeyFailing: alarmName(namePrefix, `${journey}-journey-failing`),
            notRunning: alarmName(namePrefix, `${journey}-canary-not-running`),
            broken: alarmName(namePrefix, `${journey}-canary-broken`),
          },
          links: {
            journeyFailing: [`Dashboard: ${dashboardUrl}`, canaryLink, requestsLink],
            // Pages through "site down", which can tell a new stage's first runs still to come.
            notRunning: [`Dashboard: ${dashboardUrl}`, canaryLink, ownLogLink],
            broken: [`Dashboard: ${dashboardUrl}`, canaryLink, ownLogLink],
          },
          destination: home,
        });
        this.metricAlarms.push(
          journeyAlarms.journeyFailing,
          journeyAlarms.notRunning,
          journeyAlarms.broken,
        );
        return [journey, journeyAlarms];
      }),
    ) as Record<CanaryName, CanaryAlarms>;

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

    const hold = deployHoldThreshold(namePrefix);
    this.deployInProgress = deployAlarm(this, 'deploy-in-progress', {
      name: deployAlarmName(namePrefix),
      threshold: hold,
      description:
        `${hold.broke} Held and released by npm run deploy-alarm -- ${props.stage} set|clear (the pipeline does both around each deploy). ` +
        `Check first: ${hold.checkFirst.replace('<stage>', props.stage)}. Dashboard: ${dashboardUrl}`,
      destination: home,
    });

    const grace = newCanaryGraceSeconds(
      CANARY_NAMES.map((journey) => watched.canaries[journey].schedule),
    );
    this.deployedRecently = this.metricAlarm('deployed-recently', {
      name: deployedRecentlyAlarmName(namePrefix),
      metric: metric(hold.metric, {}),
      threshold: deployedRecentlyThreshold(namePrefix, grace),
      destination: home,
      links: [`Dashboard: ${dashboardUrl}`],
      notifies: false,
    });

    const journeys = CANARY_NAMES.map((journey) => this.byCanary[journey].journeyFailing);
    const notRunning = CANARY_NAMES.map((journey) => this.byCanary[journey].notRunning);
    const suppression = siteDownSuppression(watched.canaries.api.schedule);
    // On a new stage, Terraform creates every child first (depends_on), each new metric alarm in
    // INSUFFICIENT_DATA until its first evaluation, and then the composite, which may evaluate
    // while "deployed recently" has no state yet: "ALARM(...) is TRUE if the named alarm is in
    // ALARM state" (PutCompositeAlarm, AlarmRule), so NOT ALARM(deployed recently) is TRUE then,
    // and a "not running" child already in ALARM makes the composite ALARM. Its actions then wait:
    // "The maximum time in seconds that the composite alarm waits for the suppressor alarm to go
    // into the ALARM state. After this time, the composite alarm performs its actions"
    // (ActionsSuppressorWaitPeriod, PutCompositeAlarm), and once the suppressor is in ALARM,
    // nothing ("Suppressing composite alarm actions", user guide). The deploy alarm holds data
    // sent before the deploy began and was created before the composite, so its first evaluation,
    // within the minute (alarms are evaluated every minute: "Alarm evaluation"), puts it in ALARM
    // within that wait; "deployed recently" reaches ALARM from the same data, the composite OK,
    // and the held-back change is never sent as an ALARM. The parentheses state the grouping:
    // AWS documents no precedence of AND over OR.
    this.siteDown = pagingComposite(this, 'site-down', {
      name: siteDownAlarmName(namePrefix),
      description:
        `${props.stage} down or unwatched: pages when a journey canary fails after its retries, or a canary stops running outside the hours after a deploy. ` +
        `The reason names the child that changed: journey-failing, canary-not-running, or deployed-recently going OK while a canary had not run yet. ` +
        `Check first that canary's failed run and requests, or its state. ` +
        `Dashboard: ${dashboardUrl} Canary requests: ${logsOf(home.region, canaryFailuresBrief(CANARY_CORRELATION_PREFIX))}`,
      alerting: journeys,
      guarded: { alarms: notRunning, unless: this.deployedRecently },
      suppressor: {
        alarm: this.deployInProgress,
        name: deployAlarmName(namePrefix),
        waitSeconds: suppression.waitSeconds,
        extensionSeconds: suppression.extensionSeconds,
      },
      destination: home,
    });
  }

  /** Every alarm of the stage: the metric alarms, the deploy alarm and the composite. */
  get all(): (CloudwatchMetricAlarm | CloudwatchCompositeAlarm)[] {
    return [...this.metricAlarms.map((built) => built.alarm), this.deployInProgress, this.siteDown];
  }

  private metricAlarm(id: string, props: ThresholdAlarmProps): BuiltAlarm {
    const built = thresholdAlarm(this, id, props);
    this.metricAlarms.push(built);
    return built;
  }
}

const kebab = (camel: string) => camel.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
