import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamPolicy } from '@cdktf/provider-aws/lib/data-aws-iam-policy';
import { AwsProvider, type AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
import { Annotations, Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { AppArtifacts } from '../bundling/artifacts';
import { MESSAGES_FUNCTION } from '../contract/function';
import { MessagesApi } from './api/messages-api';
import type { StageConfig } from './config';
import { MessagesTable } from './data/messages-table';
import {
  AlarmTopic,
  type AlarmDestination,
  managedPolicyArn,
  roleArn,
} from '@monitored/cdktf-monitoring';
import { Canaries } from './monitoring/canaries';
import { HealthDashboard } from './monitoring/health-dashboard';
import { CLOUDFRONT_METRICS_REGION } from '@monitored/cloudwatch-model';
import { StageAlarms } from './monitoring/stage-alarms';
import { deployRoleName, permissionsBoundaryName } from './shared/iam';
import { APP_NAME } from './shared/naming';
import { stageNames } from './shared/stage-names';
import { PolicyChecks } from './policy/policy-checks';
import { StaticWebsite } from './website/static-website';

export interface MessageSystemStackProps {
  readonly config: StageConfig;
  /** The function's zip, the website's files and the canaries' zips, built before the stack. */
  readonly artifacts: AppArtifacts;
  /**
   * The day the policy rules judge by: a runtime past its deprecation date fails synth, one close
   * to it warns. `main.ts` passes the day of the synth; tests pass a fixed day.
   */
  readonly today: Date;
  /**
   * Runtimes the policy rules accept past their deprecation date (ACCEPT_DEPRECATED_RUNTIMES), for
   * a destroy or an urgent fix. @default none
   */
  readonly acceptDeprecatedRuntimes?: readonly string[];
}

/**
 * One stage of the message system: table, API, website, the canaries watching them, and the policy
 * checks over all of it.
 */
export class MessageSystemStack extends TerraformStack {
  public readonly table: MessagesTable;
  public readonly api: MessagesApi;
  public readonly website: StaticWebsite;
  /** The canaries watching the website and the API: their names, schedules and log groups. */
  public readonly canaries: Canaries;
  /** Who hears of the alarms: the SNS topic of the stage's region and its key. */
  public readonly alarmTopic: AlarmTopic;
  public readonly alarms: StageAlarms;
  public readonly dashboard: HealthDashboard;

  constructor(scope: Construct, id: string, props: MessageSystemStackProps) {
    super(scope, id);
    const { config } = props;
    const defaultTags = [{ tags: { app: APP_NAME, stage: config.stage, 'managed-by': 'cdktf' } }];
    new AwsProvider(this, 'aws', { region: config.region, defaultTags });
    const names = stageNames(config.namePrefix);
    const accountId = new DataAwsCallerIdentity(this, 'account').accountId;
    // Created by the bootstrap stack; read at plan, so that a stage deployed into an account
    // without it stops before creating anything, naming the policy it could not find.
    const permissionsBoundary = new DataAwsIamPolicy(this, 'permissions-boundary', {
      arn: managedPolicyArn(accountId, permissionsBoundaryName(config.stage)),
    }).arn;
    const deployRole = roleArn(accountId, deployRoleName(config.stage));

    this.table = new MessagesTable(this, 'messages', {
      tableName: names.table,
      deletionProtection: config.deletionProtection,
    });
    this.website = new StaticWebsite(this, 'website', {
      namePrefix: config.namePrefix,
      region: config.region,
      build: props.artifacts.website,
    });
    this.api = new MessagesApi(this, 'api', {
      namePrefix: config.namePrefix,
      table: this.table.table,
      bundle: props.artifacts.lambda,
      allowedOrigins: [this.website.url, ...config.extraCorsOrigins],
      throttling: config.apiThrottling,
      logLevel: config.logLevel,
      debugSampleRate: config.debugSampleRate,
      logRetentionDays: config.logRetentionDays,
      permissionsBoundary,
    });
    this.website.addConfig({ apiUrl: this.api.api.apiEndpoint });
    this.canaries = new Canaries(this, 'canaries', {
      namePrefix: config.namePrefix,
      region: config.region,
      accountId,
      websiteUrl: this.website.url,
      apiUrl: this.api.api.apiEndpoint,
      schedules: config.canaries,
      bundles: props.artifacts.canaries,
      retentionDays: config.logRetentionDays,
      permissionsBoundary,
    });

    this.alarmTopic = new AlarmTopic(this, 'alarm-topic', {
      namePrefix: config.namePrefix,
      region: config.region,
      accountId,
      emails: config.alertEmails,
      deployRoleArn: deployRole,
    });
    if (config.alertEmails.length === 0) {
      Annotations.of(this.alarmTopic).addWarning(
        `no alert emails for ${config.stage} (ALERT_EMAILS_${config.stage.toUpperCase()} or ALERT_EMAILS): its alarms notify a topic nobody is subscribed to`,
      );
    }
    const home: AlarmDestination = { region: config.region, topicArn: this.alarmTopic.topic.arn };
    this.alarms = new StageAlarms(this, 'alarms', {
      namePrefix: config.namePrefix,
      stage: config.stage,
      watched: {
        names,
        functionName: this.api.handler.function.functionName,
        functionTimeoutSeconds: MESSAGES_FUNCTION.timeoutSeconds,
        tableName: this.table.table.name,
        apiId: this.api.api.id,
        apiStage: this.api.stage.name,
        distributionId: this.website.distribution.id,
        canaries: this.canaries.byName,
      },
      home,
      cloudfront: config.serviceAlarms
        ? this.cloudfrontAlarmDestination(config, home, defaultTags, accountId, deployRole)
        : undefined,
      serviceAlarms: config.serviceAlarms,
    });
    this.dashboard = new HealthDashboard(this, 'dashboard', {
      namePrefix: config.namePrefix,
      stage: config.stage,
      region: config.region,
      watched: this.alarms.watched,
      alarms: this.alarms,
      websiteUrl: this.website.url,
      apiUrl: this.api.api.apiEndpoint,
      functionLogGroup: this.api.handler.logGroupName,
      accessLogGroup: this.api.accessLogGroupName,
    });

    new TerraformOutput(this, 'website_url', {
      value: this.website.url,
      description: 'Open this in a browser',
    });
    new TerraformOutput(this, 'api_url', {
      value: this.api.api.apiEndpoint,
      description: 'Base URL of the message API',
    });
    new TerraformOutput(this, 'table_name', { value: this.table.table.name });

    Aspects.of(this).add(
      new PolicyChecks({
        today: props.today,
        acceptDeprecatedRuntimes: props.acceptDeprecatedRuntimes,
      }),
    );
  }

  /**
   * Where CloudFront's alarm goes: its metrics exist only in us-east-1, and an alarm can only
   * notify a topic of its own region. A stage elsewhere gets a second provider, topic and key there.
   */
  private cloudfrontAlarmDestination(
    config: StageConfig,
    home: AlarmDestination,
    defaultTags: AwsProviderConfig['defaultTags'],
    accountId: string,
    deployRoleArn: string,
  ): AlarmDestination {
    if (config.region === CLOUDFRONT_METRICS_REGION) return home;
    const provider = new AwsProvider(this, 'aws-cloudfront-metrics', {
      alias: 'cloudfront_metrics',
      region: CLOUDFRONT_METRICS_REGION,
      defaultTags,
    });
    const topic = new AlarmTopic(this, 'cloudfront-alarm-topic', {
      namePrefix: config.namePrefix,
      region: CLOUDFRONT_METRICS_REGION,
      accountId,
      emails: config.alertEmails,
      deployRoleArn,
      provider,
    });
    return { region: CLOUDFRONT_METRICS_REGION, topicArn: topic.topic.arn, provider };
  }
}
