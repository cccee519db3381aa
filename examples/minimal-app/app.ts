/**
 * A second app, outside the message system, built only from the packages' public exports: one Node
 * function behind a function URL, one API canary watching it that pages through a composite a
 * deploy keeps quiet (CanaryPaging), a function errors alarm on an encrypted alarm topic, one
 * dashboard, and the policy rules run over the stack at synth.
 */
import * as fs from 'node:fs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { unzipSync } from 'fflate';
import {
  AlarmTopic,
  CanaryGroup,
  CanaryPaging,
  Dashboard,
  FileAsset,
  NodeFunction,
  physicalName,
  thresholdAlarm,
  thresholdLine,
  type BuiltAlarm,
} from '@monitored/cdktf-monitoring';
import {
  AWS_METRICS,
  deployInProgressMetric,
  FULL_WIDTH,
  HALF_WIDTH,
  LAMBDA,
  metric,
  metricCatalogue,
  type CanarySchedule,
  type MetricCatalogue,
  type Threshold,
} from '@monitored/cloudwatch-model';
import { PolicyChecks } from '@monitored/terraform-policy/cdktf';

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
  /**
   * The day the policy checks judge runtime deprecations by (a runtime close to its date warns,
   * past it fails synth). @default the day of the synth
   */
  readonly policyDay?: Date;
}

/** Built before the app: the function's zip and the canary's zip (`nodejs/node_modules/api.js`). */
export interface MinimalAppArtifacts {
  readonly functionZip: string;
  readonly canaryZip: string;
}

const FIVE_MINUTES = 300;

/**
 * The app's own thresholds, and why: one table, read by the alarms and the dashboard. The canary's
 * come from its schedule (CanaryPaging).
 */
export const MINIMAL_THRESHOLDS = {
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

/**
 * The namespace of the app's deploy-hold metric, its name prefix: where its deploy sends the hold
 * and the release (holdDatapoints, releaseDatapoints of @monitored/cloudwatch-model).
 */
export function deployHoldNamespace(settings: Pick<MinimalAppSettings, 'namePrefix'>): string {
  return settings.namePrefix;
}

/** The metrics the app records and alarms on: AWS's, and its deploy-hold metric. */
export function minimalCatalogue(
  settings: Pick<MinimalAppSettings, 'namePrefix'>,
): MetricCatalogue {
  return metricCatalogue([...AWS_METRICS, deployInProgressMetric(deployHoldNamespace(settings))]);
}

/** A zip's entries, for the policy rule that opens a canary's zip. */
export function readZip(file: string): ReadonlyMap<string, Buffer> {
  return new Map(
    Object.entries(unzipSync(fs.readFileSync(file))).map(([name, data]) => [
      name,
      Buffer.from(data),
    ]),
  );
}

/** The minimal app's one stack. */
export class MinimalStack extends TerraformStack {
  public readonly function: NodeFunction;
  public readonly paging: CanaryPaging<'api'>;
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
    this.paging = new CanaryPaging(this, 'paging', {
      canaries: { api: { canary: canaries.byName.api } },
      destination,
      alarmName,
      deployHold: {
        namespace: deployHoldNamespace(settings),
        howHeld:
          'The deploy holds it before it applies and releases it after (PutMetricData of DeployInProgress, as holdDatapoints and releaseDatapoints plan it).',
        releaseCommand: "the deploy's release step, run by hand",
      },
      pagingDescription: `${namePrefix} down or unwatched: GET /health failed after a retry, or the canary stopped running outside the minutes after a deploy. Check first the canary's last run, or its state.`,
    });
    this.functionErrors = thresholdAlarm(this, 'function-errors', {
      name: alarmName('function-errors'),
      metric: metric(LAMBDA.errors, { FunctionName: this.function.function.functionName }),
      threshold: MINIMAL_THRESHOLDS.functionErrors,
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
            this.paging.siteDown.arn,
            this.paging.byCanary.api.journeyFailing.alarm.arn,
            this.paging.byCanary.api.broken.alarm.arn,
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
          rows: [{ metric: this.paging.byCanary.api.journeyFailing.metric, label: 'journey' }],
          thresholds: thresholdLine(this.paging.byCanary.api.journeyFailing),
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

    // What AWS would refuse, or what would deploy and fail silently, fails the synth.
    Aspects.of(this).add(
      new PolicyChecks({
        assetSources: (stack) => FileAsset.sources(stack),
        readZip,
        ...(settings.policyDay !== undefined && { today: settings.policyDay }),
      }),
    );
  }
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
