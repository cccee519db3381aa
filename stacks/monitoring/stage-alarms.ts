import { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { CANARY_CORRELATION_PREFIX, CANARY_NAMES, type CanaryName } from '../../contract/canaries';
import { lambdaLogGroupName } from '../shared/naming';
import type { StageNames } from '../shared/stage-names';
import type { Canary } from './canary';
import { consoleLink, linkWithReference } from './console-links';
import { canaryFailuresBrief, LOG_QUERIES } from './log-queries';
import {
  CLOUDFRONT_REGION_DIMENSION,
  DYNAMODB_OPERATIONS,
  metric,
  type MetricRef,
  type Statistic,
  API_GATEWAY,
  CLOUDFRONT,
  DYNAMODB,
  LAMBDA,
} from './metrics';
import {
  alarmName,
  canariesNotRunningAlarmName,
  dashboardName,
  deployAlarmName,
  siteDownAlarmName,
} from './names';
import { scheduleInterval } from './schedules';
import {
  canaryThresholds,
  deployHoldThreshold,
  notRunningSuppression,
  SERVICE_THRESHOLDS,
  siteDownSuppression,
  type Suppression,
  type Threshold,
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

/** Where an alarm notifies: a topic in the alarm's own region, and that region's provider. */
export interface AlarmDestination {
  readonly region: string;
  readonly topicArn: string;
  /** @default the stack's default AWS provider */
  readonly provider?: AwsProvider;
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

/** One metric alarm as built, with what the dashboard and the local monitor need to know of it. */
export interface BuiltAlarm {
  readonly alarm: CloudwatchMetricAlarm;
  readonly name: string;
  readonly metric: MetricRef;
  readonly threshold: Threshold;
  readonly region: string;
}

/** The three alarms of one canary. */
export interface CanaryAlarms {
  readonly journeyFailing: BuiltAlarm;
  readonly notRunning: BuiltAlarm;
  readonly broken: BuiltAlarm;
}

/** The longest text AWS takes as an alarm description. */
export const ALARM_DESCRIPTION_LIMIT = 1024;

/**
 * The stage's alarms: three per canary (journey failing, not running, canary broken), the services'
 * alarms from the thresholds table, the "deploy in progress" alarm that a deploy holds, the
 * composite "site down" alarm over the journeys that is what pages, and the composite "canaries
 * not running" over the canaries' "not running" alarms, which notifies for them. Both composites
 * are quiet while the deploy alarm is in ALARM, each for its own time after it. Every alarm
 * notifies its region's topic on ALARM and on OK (the "not running" ones through their composite),
 * and its description says what broke, what to check first, and links to the dashboard, the
 * canary and a Logs Insights query over the right log groups.
 *
 * Why "not running" notifies through a composite: a canary that has not run yet publishes nothing,
 * exactly as one that stopped, so a new stage's "not running" alarms are in ALARM from their first
 * evaluation, for up to an interval (12 hours for dev's website canary, whose cron first runs at
 * its next time). Nothing in a metric alarm can tell the two apart, and a metric alarm has no
 * suppressor; a composite's actions suppressor can wait ($0.50 a month). The deploy that creates
 * the stage holds the deploy alarm (its data arrives before the alarm exists: deploy-hold.ts), so
 * the composite's change is suppressed, and after the release its ExtensionPeriod lasts until
 * every canary has had time for its first run; a canary that has still not run then, or stops
 * later, is notified. The other ways considered: treating missing data as anything but breaching
 * silences a canary that never starts; an M-of-N alarm still fills a new alarm's missing points
 * with the treatment (alarms-and-missing-data.html); a grace datapoint in the alarm's metric would
 * need metric math ($0.10 more an alarm, and FILL of a series with no data at all is not
 * documented) or writing into CloudWatchSynthetics, and PutMetricData takes time stamps at most 2
 * hours ahead, short of dev's 12.
 */
export class StageAlarms extends Construct {
  public readonly metricAlarms: BuiltAlarm[] = [];
  /** The services' alarms by their row in the thresholds table (system errors: the first operation's). */
  public readonly service: Partial<Record<keyof typeof SERVICE_THRESHOLDS, BuiltAlarm>> = {};
  public readonly byCanary: Readonly<Record<CanaryName, CanaryAlarms>>;
  public readonly deployInProgress: CloudwatchMetricAlarm;
  public readonly siteDown: CloudwatchCompositeAlarm;
  public readonly canariesNotRunning: CloudwatchCompositeAlarm;
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
        const build = (
          what: keyof typeof thresholds,
          suffix: string,
          links: string[],
          notifies = true,
        ) =>
          this.metricAlarm(`${journey}-${suffix}`, {
            name: alarmName(namePrefix, `${journey}-${suffix}`),
            metric: metric(thresholds[what].metric, { CanaryName: canary.canary.name }),
            threshold: thresholds[what],
            destination: home,
            links: [`Dashboard: ${dashboardUrl}`, ...links],
            notifies,
          });
        return [
          journey,
          {
            journeyFailing: build('journeyFailing', 'journey-failing', [canaryLink, requestsLink]),
            // Notifies through the "canaries not running" composite, which can wait for a new
            // stage's first runs.
            notRunning: build('notRunning', 'canary-not-running', [canaryLink, ownLogLink], false),
            broken: build('broken', 'canary-broken', [canaryLink, ownLogLink]),
          },
        ];
      }),
    ) as Record<CanaryName, CanaryAlarms>;

    if (props.serviceAlarms) {
      const errorsLink = `Recent errors: ${logsOf(home.region, LOG_QUERIES.recentErrors)}`;
      const slowLink = `Slowest requests: ${logsOf(home.region, LOG_QUERIES.slowestRequests)}`;
      const service = (
        key: keyof typeof SERVICE_THRESHOLDS,
        ref: MetricRef,
        links: string[],
        threshold: Threshold = SERVICE_THRESHOLDS[key],
        destination = home,
        suffix = '',
      ) => {
        const built = this.metricAlarm(`${key}${suffix}`, {
          name: alarmName(namePrefix, kebab(`${key}${suffix}`)),
          metric: ref,
          threshold,
          destination,
          links: [`Dashboard: ${dashboardUrl}`, ...links],
        });
        this.service[key] ??= built;
      };
      service(
        'apiServerErrorRate',
        metric(API_GATEWAY.serverErrors, { ApiId: watched.apiId, Stage: watched.apiStage }),
        [errorsLink],
      );
      const fn = { FunctionName: watched.functionName };
      service('functionErrors', metric(LAMBDA.errors, fn), [errorsLink]);
      service('functionThrottles', metric(LAMBDA.throttles, fn), [errorsLink]);
      const near = SERVICE_THRESHOLDS.functionDurationNearTimeout;
      service('functionDurationNearTimeout', metric(LAMBDA.duration, fn), [slowLink], {
        ...near,
        threshold: near.threshold * watched.functionTimeoutSeconds * 1000,
      });
      const table = { TableName: watched.tableName };
      service('tableReadThrottles', metric(DYNAMODB.readThrottleEvents, table), [errorsLink]);
      service('tableWriteThrottles', metric(DYNAMODB.writeThrottleEvents, table), [errorsLink]);
      for (const operation of DYNAMODB_OPERATIONS) {
        service(
          'tableSystemErrors',
          metric(DYNAMODB.systemErrors, { ...table, Operation: operation }),
          [errorsLink],
          undefined,
          home,
          operation,
        );
      }
      if (props.cloudfront !== undefined) {
        service(
          'websiteServerErrorRate',
          metric(CLOUDFRONT.errorRate5xx, {
            DistributionId: watched.distributionId,
            Region: CLOUDFRONT_REGION_DIMENSION,
          }),
          // CloudFront keeps no logs here; the website journey's browser saw what visitors saw.
          [`Website canary's log: ${canaryLogLinks.website}`],
          undefined,
          props.cloudfront,
        );
      }
    }

    const hold = deployHoldThreshold(namePrefix);
    this.deployInProgress = new CloudwatchMetricAlarm(this, 'deploy-in-progress', {
      alarmName: deployAlarmName(namePrefix),
      alarmDescription: checkedDescription(
        `${hold.broke} Held and released by npm run deploy-alarm -- ${props.stage} set|clear (the pipeline does both around each deploy). ` +
          `Check first: ${hold.checkFirst.replace('<stage>', props.stage)}. Dashboard: ${dashboardUrl}`,
      ),
      namespace: hold.metric.namespace,
      metricName: hold.metric.name,
      statistic: hold.statistic,
      period: hold.periodSeconds,
      evaluationPeriods: hold.evaluationPeriods,
      datapointsToAlarm: hold.datapointsToAlarm,
      threshold: hold.threshold,
      comparisonOperator: hold.comparison,
      treatMissingData: hold.treatMissingData,
      alarmActions: [home.topicArn],
      okActions: [home.topicArn],
      provider: home.provider,
    });

    const suppressedBy = (suppression: Suppression) => ({
      alarm: deployAlarmName(namePrefix),
      waitPeriod: suppression.waitSeconds,
      extensionPeriod: suppression.extensionSeconds,
    });
    const ruleOf = (alarms: readonly BuiltAlarm[]) =>
      alarms.map((alarm) => `ALARM("${alarm.name}")`).join(' OR ');

    const journeys = CANARY_NAMES.map((journey) => this.byCanary[journey].journeyFailing);
    this.siteDown = new CloudwatchCompositeAlarm(this, 'site-down', {
      alarmName: siteDownAlarmName(namePrefix),
      alarmDescription: checkedDescription(
        `${props.stage} is down for the people using it: a journey canary failed after its retries. ` +
          `The journey alarms say which; check first the failing canary's run and its requests in the logs. ` +
          `Dashboard: ${dashboardUrl} Failed canary requests: ${logsOf(home.region, canaryFailuresBrief(CANARY_CORRELATION_PREFIX))}`,
      ),
      alarmRule: ruleOf(journeys),
      actionsSuppressor: suppressedBy(siteDownSuppression(watched.canaries.api.schedule)),
      alarmActions: [home.topicArn],
      okActions: [home.topicArn],
      provider: home.provider,
      dependsOn: [...journeys.map((journey) => journey.alarm), this.deployInProgress],
    });

    const notRunning = CANARY_NAMES.map((journey) => this.byCanary[journey].notRunning);
    this.canariesNotRunning = new CloudwatchCompositeAlarm(this, 'canaries-not-running', {
      alarmName: canariesNotRunningAlarmName(namePrefix),
      alarmDescription: checkedDescription(
        `A canary of ${props.stage} has not run for two of its intervals: nothing is watching its journey. ` +
          `The "not running" alarm in the reason says which, and links its log. A new stage's canaries get time for their first runs after the deploy that made them. ` +
          `Check first the canary's state (stopped? error?), then its role and runtime. Dashboard: ${dashboardUrl} ` +
          CANARY_NAMES.map(
            (journey) =>
              `${journey}: ${consoleLink.canary(home.region, watched.names.canary(journey))}`,
          ).join(' '),
      ),
      alarmRule: ruleOf(notRunning),
      actionsSuppressor: suppressedBy(
        notRunningSuppression(CANARY_NAMES.map((journey) => watched.canaries[journey].schedule)),
      ),
      alarmActions: [home.topicArn],
      okActions: [home.topicArn],
      provider: home.provider,
      dependsOn: [...notRunning.map((alarm) => alarm.alarm), this.deployInProgress],
    });
  }

  /** Every alarm of the stage: the metric alarms, the deploy alarm and the composites. */
  get all(): (CloudwatchMetricAlarm | CloudwatchCompositeAlarm)[] {
    return [
      ...this.metricAlarms.map((built) => built.alarm),
      this.deployInProgress,
      this.siteDown,
      this.canariesNotRunning,
    ];
  }

  private metricAlarm(
    id: string,
    spec: {
      name: string;
      metric: MetricRef;
      threshold: Threshold;
      destination: AlarmDestination;
      links: string[];
      /**
       * Whether it notifies the topic itself; otherwise a composite over it does.
       * @default true
       */
      notifies?: boolean;
    },
  ): BuiltAlarm {
    const { threshold, metric: ref, destination } = spec;
    const notifies = spec.notifies ?? true;
    const percentile = /^p\d/.test(threshold.statistic);
    const alarm = new CloudwatchMetricAlarm(this, id, {
      alarmName: spec.name,
      alarmDescription: checkedDescription(
        `${threshold.broke} Check first: ${threshold.checkFirst}. ${spec.links.join(' ')}`,
      ),
      namespace: ref.spec.namespace,
      metricName: ref.spec.name,
      dimensions: { ...ref.dimensions },
      ...(percentile
        ? { extendedStatistic: threshold.statistic }
        : { statistic: threshold.statistic as Exclude<Statistic, `p${number}`> }),
      period: threshold.periodSeconds,
      evaluationPeriods: threshold.evaluationPeriods,
      datapointsToAlarm: threshold.datapointsToAlarm,
      threshold: threshold.threshold,
      comparisonOperator: threshold.comparison,
      treatMissingData: threshold.treatMissingData,
      ...(notifies && { alarmActions: [destination.topicArn], okActions: [destination.topicArn] }),
      provider: destination.provider,
    });
    const built = { alarm, name: spec.name, metric: ref, threshold, region: destination.region };
    this.metricAlarms.push(built);
    return built;
  }
}

const kebab = (camel: string) => camel.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** The description, or an error at synth: AWS refuses one over 1,024 characters. */
/** The longest a reference in a description can become: a Lambda function's name. */
const LONGEST_REFERENCED_NAME = 64;

function checkedDescription(description: string): string {
  const length = description.replace(/\$\{TfToken\[[^\]]*\]\}/g, () =>
    'x'.repeat(LONGEST_REFERENCED_NAME),
  ).length;
  if (length <= ALARM_DESCRIPTION_LIMIT) return description;
  throw new Error(
    `alarm description can be ${length} characters; AWS takes ${ALARM_DESCRIPTION_LIMIT}: ${description.slice(0, 120)}…`,
  );
}
