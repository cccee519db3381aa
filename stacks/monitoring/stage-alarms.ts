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
  APP,
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
import { alarmName, dashboardName, deployAlarmName, siteDownAlarmName } from './names';
import { scheduleInterval } from './schedules';
import { canaryThresholds, SERVICE_THRESHOLDS, type Threshold } from './thresholds';

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
 * alarms from the thresholds table, the "deploy in progress" alarm that a deployer sets by hand,
 * and the composite "site down" alarm over the journeys that is what pages, quiet while the deploy
 * alarm is in ALARM. Every alarm notifies its region's topic on ALARM and on OK, and its
 * description says what broke, what to check first, and links to the dashboard, the canary and a
 * Logs Insights query over the right log groups.
 */
export class StageAlarms extends Construct {
  public readonly metricAlarms: BuiltAlarm[] = [];
  /** The services' alarms by their row in the thresholds table (system errors: the first operation's). */
  public readonly service: Partial<Record<keyof typeof SERVICE_THRESHOLDS, BuiltAlarm>> = {};
  public readonly byCanary: Readonly<Record<CanaryName, CanaryAlarms>>;
  public readonly deployInProgress: CloudwatchMetricAlarm;
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
        const build = (what: keyof typeof thresholds, suffix: string, links: string[]) =>
          this.metricAlarm(`${journey}-${suffix}`, {
            name: alarmName(namePrefix, `${journey}-${suffix}`),
            metric: metric(thresholds[what].metric, { CanaryName: canary.canary.name }),
            threshold: thresholds[what],
            destination: home,
            links: [`Dashboard: ${dashboardUrl}`, ...links],
          });
        return [
          journey,
          {
            journeyFailing: build('journeyFailing', 'journey-failing', [canaryLink, requestsLink]),
            notRunning: build('notRunning', 'canary-not-running', [canaryLink, ownLogLink]),
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

    this.deployInProgress = new CloudwatchMetricAlarm(this, 'deploy-in-progress', {
      alarmName: deployAlarmName(namePrefix),
      alarmDescription: `Set to ALARM by hand or by the pipeline while ${props.stage} deploys (npm run deploy-alarm -- ${props.stage} set|clear); while it is in ALARM the "site down" alarm sends nothing. Nothing publishes its metric, and missing data keeps its state, so it stays as it was set.`,
      namespace: APP.deployInProgress.namespace,
      metricName: APP.deployInProgress.name,
      dimensions: { Stage: props.stage },
      statistic: APP.deployInProgress.statistic,
      period: 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      // With no data ever, `ignore` keeps the state set by SetAlarmState (the user guide's
      // missing-data table, all points missing: "Retain current state").
      treatMissingData: 'ignore',
      alarmActions: [home.topicArn],
      okActions: [home.topicArn],
      provider: home.provider,
    });

    const journeys = CANARY_NAMES.map((journey) => this.byCanary[journey].journeyFailing);
    const api = watched.canaries.api.schedule;
    const apiInterval = scheduleInterval(api.expression);
    this.siteDown = new CloudwatchCompositeAlarm(this, 'site-down', {
      alarmName: siteDownAlarmName(namePrefix),
      alarmDescription: checkedDescription(
        `${props.stage} is down for the people using it: a journey canary failed after its retries. ` +
          `The journey alarms say which; check first the failing canary's run and its requests in the logs. ` +
          `Dashboard: ${dashboardUrl} Failed canary requests: ${logsOf(home.region, canaryFailuresBrief(CANARY_CORRELATION_PREFIX))}`,
      ),
      alarmRule: journeys.map((journey) => `ALARM("${journey.name}")`).join(' OR '),
      actionsSuppressor: {
        alarm: deployAlarmName(namePrefix),
        // AWS recommends 60 s: metric alarms are evaluated every minute.
        waitPeriod: 60,
        // After a deploy, long enough for the API journey to run once more (with its retries):
        // a journey alarm left over from the deploy clears before the composite may page.
        extensionPeriod:
          (apiInterval.kind === 'every' ? apiInterval.seconds : 0) +
          api.timeoutSeconds * (1 + api.maxRetries) +
          60,
      },
      alarmActions: [home.topicArn],
      okActions: [home.topicArn],
      provider: home.provider,
      dependsOn: [...journeys.map((journey) => journey.alarm), this.deployInProgress],
    });
  }

  /** Every alarm of the stage: the metric alarms, the deploy alarm and the composite. */
  get all(): (CloudwatchMetricAlarm | CloudwatchCompositeAlarm)[] {
    return [...this.metricAlarms.map((built) => built.alarm), this.deployInProgress, this.siteDown];
  }

  private metricAlarm(
    id: string,
    spec: {
      name: string;
      metric: MetricRef;
      threshold: Threshold;
      destination: AlarmDestination;
      links: string[];
    },
  ): BuiltAlarm {
    const { threshold, metric: ref, destination } = spec;
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
      alarmActions: [destination.topicArn],
      okActions: [destination.topicArn],
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
