/**
 * The stage's monitoring as it deploys: the stack is built in-process from the same constructs
 * `cdktf synth` runs, and its synthesized alarms, dashboard and canaries are read back, their
 * Terraform references resolved to the local stand-ins. Nothing here restates a threshold, a
 * metric or a name.
 */
import * as fs from 'node:fs';
import { App } from 'cdktf';
import { CANARY_NAMES, type CanaryName } from '../../contract/canaries';
import { stageConfigs, type Stage } from '../../stacks/config';
import { MessageSystemStack } from '../../stacks/message-system-stack';
import type {
  CanarySchedule,
  DashboardBody,
  CompositeAlarmDefinition,
  MetricAlarmDefinition,
} from '@monitored/cloudwatch-model';
import { stageNames, type StageNames } from '../../stacks/shared/stage-names';
import { temporaryDir } from '../temp-space';
import { LOCAL_ACCOUNT_ID, localStandIns } from './local-ids';
import { metricAlarmDefinition, numberOf, strings } from './terraform-alarm';
import { TerraformResolver, type Json, type SynthesizedStack } from './terraform-resolver';
import { buildArtifacts } from '../../bundling/artifacts';

export interface LocalCanary {
  readonly journey: CanaryName;
  /** The physical name: the CanaryName dimension. */
  readonly name: string;
  readonly schedule: CanarySchedule;
  /** The log group its runs write to, resolved. */
  readonly logGroupName: string;
}

/** A log group of the stack, resolved. */
export interface LocalLogGroup {
  readonly name: string;
  /** Its retention_in_days; undefined when its lines never expire. */
  readonly retentionDays?: number;
}

export interface AlarmTopicDefinition {
  readonly arn: string;
  readonly region: string;
  readonly emails: readonly string[];
}

/** The ids AWS gives the stage's API and distribution, as the local stand-ins resolve them. */
export interface StageResourceIds {
  /** The HTTP API's id: the `ApiId` dimension. */
  readonly apiId: string;
  /** The HTTP API's stage: the `Stage` dimension. */
  readonly apiStage: string;
  /** The CloudFront distribution's id: the `DistributionId` dimension. */
  readonly distributionId: string;
}

export interface StageDefinitions {
  readonly stage: Stage;
  readonly region: string;
  readonly accountId: string;
  readonly names: StageNames;
  readonly ids: StageResourceIds;
  readonly metricAlarms: readonly MetricAlarmDefinition[];
  readonly compositeAlarms: readonly CompositeAlarmDefinition[];
  readonly dashboard: { readonly name: string; readonly body: DashboardBody };
  readonly canaries: Readonly<Record<CanaryName, LocalCanary>>;
  readonly logGroups: readonly LocalLogGroup[];
  readonly topics: readonly AlarmTopicDefinition[];
}

export interface LoadOptions {
  /** The day the stack is judged on, as a synth would be. @default today */
  readonly today?: Date;
  /** Who gets the local alarm emails. @default the stage config's (ALERT_EMAILS), else you@localhost */
  readonly alertEmails?: readonly string[];
}

type Config = Record<string, Json>;

/** Builds the stage's stack and reads its monitoring back, resolved for the local system. */
export function loadStageDefinitions(stage: Stage, options: LoadOptions = {}): StageDefinitions {
  const emails = options.alertEmails ?? ['you@localhost'];
  const config = stageConfigs({ alertEmails: { dev: emails, prod: emails } })[stage];
  const outdir = temporaryDir('stage-definitions-');
  let json: SynthesizedStack & { provider?: { aws?: Config[] } };
  try {
    const stack = new MessageSystemStack(new App({ outdir }), stage, {
      config,
      artifacts: buildArtifacts(),
      today: options.today ?? new Date(),
    });
    json = stack.toTerraform() as typeof json;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  const providerRegions = new Map<string | undefined, string>(
    (json.provider?.aws ?? []).map((provider) => [
      provider.alias === undefined ? undefined : `aws.${String(provider.alias)}`,
      String(provider.region),
    ]),
  );
  const regionOf = (resource: Config) =>
    providerRegions.get(resource.provider === undefined ? undefined : String(resource.provider)) ??
    config.region;
  const resolver = new TerraformResolver(json, localStandIns(regionOf));
  const resources = (type: string): [string, Config][] =>
    Object.entries(json.resource?.[type] ?? {});
  const resolved = (type: string, name: string, attribute: string) =>
    resolver.attribute(type, name, attribute);

  const metricAlarms = resources('aws_cloudwatch_metric_alarm').map(([name, alarm]) =>
    metricAlarmDefinition(
      (attribute) =>
        attribute in alarm ? resolved('aws_cloudwatch_metric_alarm', name, attribute) : undefined,
      regionOf(alarm),
    ),
  );

  const compositeAlarms = resources('aws_cloudwatch_composite_alarm').map(
    ([name, alarm]): CompositeAlarmDefinition => {
      const read = (attribute: string) =>
        resolved('aws_cloudwatch_composite_alarm', name, attribute);
      const has = (attribute: string) => attribute in alarm;
      const suppressor = has('actions_suppressor')
        ? (read('actions_suppressor') as Config)
        : undefined;
      return {
        name: String(read('alarm_name')),
        ...(has('alarm_description') && { description: String(read('alarm_description')) }),
        region: regionOf(alarm),
        alarmRule: String(read('alarm_rule')),
        ...(suppressor !== undefined && {
          actionsSuppressor: {
            alarm: String(suppressor.alarm),
            waitPeriodSeconds: numberOf(suppressor.wait_period),
            extensionPeriodSeconds: numberOf(suppressor.extension_period),
          },
        }),
        alarmActions: has('alarm_actions') ? strings(read('alarm_actions')) : [],
        okActions: has('ok_actions') ? strings(read('ok_actions')) : [],
        insufficientDataActions: has('insufficient_data_actions')
          ? strings(read('insufficient_data_actions'))
          : [],
      };
    },
  );

  const [dashboardResource] = resources('aws_cloudwatch_dashboard');
  if (dashboardResource === undefined) throw new Error(`the ${stage} stack has no dashboard`);
  const dashboard = {
    name: String(resolved('aws_cloudwatch_dashboard', dashboardResource[0], 'dashboard_name')),
    body: JSON.parse(
      String(resolved('aws_cloudwatch_dashboard', dashboardResource[0], 'dashboard_body')),
    ) as DashboardBody,
  };

  const names = stageNames(config.namePrefix);
  const canaryEntries = resources('aws_synthetics_canary');
  const logGroups = resources('aws_cloudwatch_log_group');
  const canaries = Object.fromEntries(
    CANARY_NAMES.map((journey) => {
      const physical = names.canary(journey);
      const entry = canaryEntries.find(
        ([name]) => resolved('aws_synthetics_canary', name, 'name') === physical,
      );
      if (entry === undefined) throw new Error(`the ${stage} stack has no canary ${physical}`);
      const groups = logGroups
        .map(([name]) => String(resolved('aws_cloudwatch_log_group', name, 'name')))
        .filter((group) => group.startsWith(`/aws/lambda/cwsyn-${physical}-`));
      if (groups.length !== 1)
        throw new Error(`expected one log group for canary ${physical}, found ${groups.length}`);
      return [
        journey,
        { journey, name: physical, schedule: config.canaries[journey], logGroupName: groups[0] },
      ];
    }),
  ) as Record<CanaryName, LocalCanary>;

  const localLogGroups = logGroups.map(([name, group]): LocalLogGroup => {
    const retention =
      'retention_in_days' in group
        ? numberOf(resolved('aws_cloudwatch_log_group', name, 'retention_in_days'))
        : 0;
    // Terraform's 0 is "never expire" (log-retention.ts).
    return {
      name: String(resolved('aws_cloudwatch_log_group', name, 'name')),
      ...(retention > 0 && { retentionDays: retention }),
    };
  });

  const subscriptions = resources('aws_sns_topic_subscription').map(([name]) => ({
    topicArn: String(resolved('aws_sns_topic_subscription', name, 'topic_arn')),
    endpoint: String(resolved('aws_sns_topic_subscription', name, 'endpoint')),
  }));
  const topics = resources('aws_sns_topic').map(([name, topic]) => {
    const arn = String(resolved('aws_sns_topic', name, 'arn'));
    return {
      arn,
      region: regionOf(topic),
      emails: subscriptions
        .filter((subscription) => subscription.topicArn === arn)
        .map((subscription) => subscription.endpoint),
    };
  });

  const only = (type: string, attribute: string): string => {
    const found = resources(type);
    if (found.length !== 1)
      throw new Error(`expected one ${type} in the ${stage} stack, found ${found.length}`);
    return String(resolved(type, found[0][0], attribute));
  };
  const ids: StageResourceIds = {
    apiId: only('aws_apigatewayv2_api', 'id'),
    apiStage: only('aws_apigatewayv2_stage', 'name'),
    distributionId: only('aws_cloudfront_distribution', 'id'),
  };

  return {
    stage,
    region: config.region,
    accountId: LOCAL_ACCOUNT_ID,
    names,
    ids,
    metricAlarms,
    compositeAlarms,
    dashboard,
    canaries,
    logGroups: localLogGroups,
    topics,
  };
}
