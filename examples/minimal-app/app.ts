/**
 * A second app, outside the message system, built only from the packages' public exports: one Node
 * function behind a function URL, one API canary watching it, the canary's alarms and a function
 * errors alarm on an encrypted alarm topic, and one dashboard.
 */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import {
  AlarmTopic,
  CanaryGroup,
  canaryAlarms,
  Dashboard,
  NodeFunction,
  physicalName,
  thresholdAlarm,
  thresholdLine,
  type BuiltAlarm,
  type CanaryAlarms,
} from '@monitored/cdktf-monitoring';
import {
  FULL_WIDTH,
  HALF_WIDTH,
  LAMBDA,
  metric,
  scheduleInterval,
  SYNTHETICS,
  type CanarySchedule,
  type Threshold,
} from '@monitored/cloudwatch-model';

/** The app's settings: what differs where it is deployed. */
export interface MinimalAppSettings {
  /** `<app>-<stage>`, the start of every name. */
  readonly namePrefix: string;
  readonly region: string;
  /** The permissions boundary (its ARN) every role of the app carries. */
  readonly permissionsBoundary: string;
  /** The role that deploys the app: it may manage the alarm topic's key. */
  readonly deployRoleArn: string;
  readonly alertEmails: readonly string[];
  readonly canarySchedule: CanarySchedule;
}

/** Built before the app: the function's zip and the canary's zip (`nodejs/node_modules/api.js`). */
export interface MinimalAppArtifacts {
  readonly functionZip: string;
  readonly canaryZip: string;
}

const FIVE_MINUTES = 300;

/** The app's thresholds, and why: one table, read by the alarms and the dashboard. */
export function minimalThresholds(canaryPeriodSeconds: number) {
  const canary = {
    periodSeconds: canaryPeriodSeconds,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
  } as const;
  return {
    journeyFailing: {
      ...canary,
      metric: SYNTHETICS.successPercentWithRetries,
      statistic: 'Average',
      comparison: 'LessThanThreshold',
      threshold: 100,
      why: 'one scheduled run failed after its retry',
      broke: 'GET /health did not answer 200.',
      checkFirst: "the canary's failed run",
    },
    notRunning: {
      ...canary,
      metric: SYNTHETICS.successPercentWithRetries,
      statistic: 'SampleCount',
      comparison: 'LessThanThreshold',
      threshold: 1,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: 'breaching',
      why: 'no run in two intervals',
      broke: 'The canary has not run.',
      checkFirst: "the canary's state",
    },
    broken: {
      ...canary,
      metric: SYNTHETICS.failed,
      statistic: 'Sum',
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      why: 'a run that could not execute',
      broke: 'The canary itself failed to run.',
      checkFirst: "the canary's log",
    },
    functionErrors: {
      metric: LAMBDA.errors,
      statistic: 'Sum',
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
      why: 'the function has no expected errors',
      broke: 'The function threw.',
      checkFirst: "the function's log",
    },
  } satisfies Record<string, Threshold>;
}

/** The minimal app's one stack. */
export class MinimalStack extends TerraformStack {
  public readonly function: NodeFunction;
  public readonly canaryAlarms: CanaryAlarms;
  public readonly functionErrors: BuiltAlarm;
  public readonly dashboard: Dashboard;

  constructor(
    scope: Construct,
    id: string,
    settings: MinimalAppSettings,
    artifacts: MinimalAppArtifacts,
  ) {
    super(scope, id);
    const { namePrefix, region } = settings;
    new AwsProvider(this, 'aws', { region });
    const accountId = new DataAwsCallerIdentity(this, 'account').accountId;

    this.function = new NodeFunction(this, 'api', {
      functionName: physicalName(namePrefix, 'api', 'lambdaFunction'),
      roleName: physicalName(namePrefix, 'api', 'iamRole'),
      permissionsBoundary: settings.permissionsBoundary,
      bundle: { zipFile: artifacts.functionZip, handler: 'index.handler' },
      logLevel: 'INFO',
      logRetentionDays: 14,
      settings: {
        runtime: 'nodejs22.x',
        architecture: 'arm64',
        memoryMb: 128,
        timeoutSeconds: 3,
        nodeOptions: '--enable-source-maps',
        systemLogLevel: 'INFO',
      },
    });
    const url = new LambdaFunctionUrl(this, 'url', {
      functionName: this.function.function.functionName,
      authorizationType: 'NONE',
    });

    const canaries = new CanaryGroup(this, 'canaries', {
      namePrefix,
      region,
      accountId,
      runtime: 'syn-nodejs-puppeteer-13.0',
      retentionDays: 14,
      permissionsBoundary: settings.permissionsBoundary,
      canaries: {
        api: {
          name: physicalName(namePrefix, 'api', 'canary'),
          bundle: { zipFile: artifacts.canaryZip, handler: 'api.handler' },
          schedule: settings.canarySchedule,
          environment: { API_URL: url.functionUrl },
        },
      },
    });
    const topic = new AlarmTopic(this, 'alarm-topic', {
      namePrefix,
      region,
      accountId,
      emails: settings.alertEmails,
      deployRoleArn: settings.deployRoleArn,
    });
    const destination = { region, topicArn: topic.topic.arn };
    const alarmName = (what: string) => physicalName(namePrefix, what, 'cloudwatchAlarm');
    const thresholds = minimalThresholds(intervalSeconds(settings.canarySchedule));
    this.canaryAlarms = canaryAlarms(this, {
      canary: canaries.byName.api,
      thresholds,
      ids: { journeyFailing: 'api-failing', notRunning: 'api-not-running', broken: 'api-broken' },
      names: {
        journeyFailing: alarmName('api-journey-failing'),
        notRunning: alarmName('api-canary-not-running'),
        broken: alarmName('api-canary-broken'),
      },
      links: { journeyFailing: [], notRunning: [], broken: [] },
      destination,
    });
    this.functionErrors = thresholdAlarm(this, 'function-errors', {
      name: alarmName('function-errors'),
      metric: metric(LAMBDA.errors, { FunctionName: this.function.function.functionName }),
      threshold: thresholds.functionErrors,
      destination,
      links: [],
    });

    this.dashboard = new Dashboard(this, 'dashboard', {
      name: physicalName(namePrefix, 'health', 'cloudwatchDashboard'),
      widgets: [
        {
          type: 'alarm',
          title: 'Alarms',
          alarms: [
            this.canaryAlarms.journeyFailing.alarm.arn,
            this.canaryAlarms.broken.alarm.arn,
            this.functionErrors.alarm.arn,
          ],
          width: FULL_WIDTH,
          height: 2,
        },
        {
          type: 'metric',
          title: 'API journey: success %',
          region,
          period: FIVE_MINUTES,
          rows: [{ metric: this.canaryAlarms.journeyFailing.metric, label: 'journey' }],
          thresholds: thresholdLine(this.canaryAlarms.journeyFailing),
          width: HALF_WIDTH,
          height: 6,
        },
        {
          type: 'metric',
          title: 'Function errors',
          region,
          period: FIVE_MINUTES,
          rows: [{ metric: this.functionErrors.metric, label: 'errors' }],
          thresholds: thresholdLine(this.functionErrors),
          width: HALF_WIDTH,
          height: 6,
        },
      ],
    });

    new TerraformOutput(this, 'api_url', { value: url.functionUrl });
  }
}

/** The seconds between runs: one run per alarm period. */
function intervalSeconds(schedule: CanarySchedule): number {
  const interval = scheduleInterval(schedule.expression);
  if (interval.kind !== 'every') {
    throw new Error(`the canary's alarms need a recurring schedule, not ${schedule.expression}`);
  }
  return interval.seconds;
}

/** The app: one stack. */
export function buildMinimalApp(
  settings: MinimalAppSettings,
  artifacts: MinimalAppArtifacts,
  options: { readonly outdir?: string } = {},
): App {
  const app = new App(options.outdir === undefined ? {} : { outdir: options.outdir });
  new MinimalStack(app, settings.namePrefix, settings, artifacts);
  return app;
}
