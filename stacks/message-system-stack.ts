import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { bundleCanaries } from '../bundling/canaries';
import { bundleLambda } from '../bundling/lambda';
import { buildWebsite } from '../bundling/website';
import { MessagesApi } from './api/messages-api';
import type { StageConfig } from './config';
import { MessagesTable } from './data/messages-table';
import { Canaries } from './monitoring/canaries';
import { APP_NAME } from './shared/naming';
import { stageNames } from './shared/stage-names';
import { PolicyChecks } from './policy/policy-checks';
import { StaticWebsite } from './website/static-website';

export interface MessageSystemStackProps {
  readonly config: StageConfig;
  /**
   * The day the policy rules judge by: a runtime past its deprecation date fails synth, one close
   * to it warns. `main.ts` passes the day of the synth; tests pass a fixed day.
   */
  readonly today: Date;
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

  constructor(scope: Construct, id: string, props: MessageSystemStackProps) {
    super(scope, id);
    const { config } = props;
    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: { app: APP_NAME, stage: config.stage, 'managed-by': 'cdktf' } }],
    });

    this.table = new MessagesTable(this, 'messages', {
      tableName: stageNames(config.namePrefix).table,
      deletionProtection: config.deletionProtection,
    });
    this.website = new StaticWebsite(this, 'website', {
      namePrefix: config.namePrefix,
      region: config.region,
      build: buildWebsite(),
    });
    this.api = new MessagesApi(this, 'api', {
      namePrefix: config.namePrefix,
      table: this.table.table,
      bundle: bundleLambda(),
      allowedOrigins: [this.website.url, ...config.extraCorsOrigins],
      throttling: config.apiThrottling,
      logLevel: config.logLevel,
      debugSampleRate: config.debugSampleRate,
      logRetentionDays: config.logRetentionDays,
    });
    this.website.addConfig({ apiUrl: this.api.api.apiEndpoint });
    this.canaries = new Canaries(this, 'canaries', {
      namePrefix: config.namePrefix,
      region: config.region,
      websiteUrl: this.website.url,
      apiUrl: this.api.api.apiEndpoint,
      schedules: config.canaries,
      bundles: bundleCanaries(),
      retentionDays: config.logRetentionDays,
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

    Aspects.of(this).add(new PolicyChecks({ today: props.today }));
  }
}
