/**
 * The monitoring a synthesized Terraform stack (`cdk.tf.json`, or any `*.tf.json` in that JSON
 * syntax) declares, read back for a local CloudWatch: its metric and composite alarms, dashboards,
 * canaries, log groups and SNS topics with their email subscribers. Terraform references are
 * resolved to local stand-ins (local-ids.ts) for what only AWS knows (ids, ARNs). Nothing here
 * knows which app made the stack.
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs (the resources' attributes)
 */
import * as fs from 'node:fs';
import {
  scheduleInterval,
  type CanarySchedule,
  type CompositeAlarmDefinition,
  type DashboardBody,
  type MetricAlarmDefinition,
} from '@monitored/cloudwatch-model';
import { canaryFunctionName, LOCAL_ACCOUNT_ID, localStandIns } from './local-ids';
import { metricAlarmDefinition, numberOf, strings } from './terraform-alarm';
import {
  TerraformResolver,
  type ComputedAttribute,
  type Json,
  type TerraformJson,
} from '@monitored/terraform-json';

export interface StackDashboard {
  readonly name: string;
  readonly body: DashboardBody;
}

export interface StackCanary {
  /** The physical name: the CanaryName dimension. */
  readonly name: string;
  readonly schedule: CanarySchedule;
  /** The log group its runs write to: `/aws/lambda/cwsyn-…`, as Synthetics names it. */
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
  /** The endpoints of its `email` (and `email-json`) subscriptions. */
  readonly emails: readonly string[];
}

export interface StackDefinitions {
  /** What the monitor's page and the emails call the stack (a stage name). */
  readonly stage: string;
  /** The region of the stack's default AWS provider. */
  readonly region: string;
  readonly accountId: string;
  readonly metricAlarms: readonly MetricAlarmDefinition[];
  readonly compositeAlarms: readonly CompositeAlarmDefinition[];
  readonly dashboards: readonly StackDashboard[];
  readonly canaries: readonly StackCanary[];
  readonly logGroups: readonly LocalLogGroup[];
  readonly topics: readonly AlarmTopicDefinition[];
}

export interface ReadStackOptions {
  /** @default 'local' */
  readonly stage?: string;
  /**
   * The region of resources whose provider names none (a provider that reads AWS_REGION).
   * @default us-east-1
   */
  readonly region?: string;
  /** Stand-ins for computed attributes, asked before the package's own (localStandIns). */
  readonly computed?: ComputedAttribute;
}

/** A stack's JSON that cannot be read, named with what is wrong. */
export class StackDefinitionsError extends Error {
  override readonly name = 'StackDefinitionsError';
}

type Config = Record<string, Json>;

/** The stack as synthesized, with the providers its resources name. */
export type SynthesizedAwsStack = TerraformJson & {
  readonly provider?: { readonly aws?: readonly Config[] | Config };
};

/** Reads a `cdk.tf.json` (or any Terraform JSON file) from disk and its monitoring. */
export function loadStackDefinitions(
  file: string,
  options: ReadStackOptions = {},
): StackDefinitions {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error: unknown) {
    throw new StackDefinitionsError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error: unknown) {
    throw new StackDefinitionsError(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new StackDefinitionsError(`${file} is not a Terraform JSON object`);
  return readStackDefinitions(json as SynthesizedAwsStack, options);
}

/** Reads the monitoring a synthesized stack declares, resolved for the local CloudWatch. */
export function readStackDefinitions(
  json: SynthesizedAwsStack,
  options: ReadStackOptions = {},
): StackDefinitions {
  const stack = new StackReader(json, options);
  return {
    stage: options.stage ?? 'local',
    region: stack.defaultRegion,
    accountId: LOCAL_ACCOUNT_ID,
    metricAlarms: stack.metricAlarms(),
    compositeAlarms: stack.compositeAlarms(),
    dashboards: stack.dashboards(),
    canaries: stack.canaries(),
    logGroups: stack.logGroups(),
    topics: stack.topics(),
  };
}

/** The stack's resources of a type, with their resolved attributes. */
export class StackReader {
  readonly defaultRegion: string;
  private readonly providerRegions: Map<string | undefined, string>;
  private readonly resolver: TerraformResolver;

  constructor(
    private readonly json: SynthesizedAwsStack,
    options: ReadStackOptions = {},
  ) {
    const providers = json.provider?.aws ?? [];
    // Terraform JSON allows one provider block as an object, or several as an array.
    const list: readonly Config[] = Array.isArray(providers) ? providers : [providers as Config];
    this.providerRegions = new Map(
      list
        .filter((provider) => typeof provider.region === 'string')
        .map((provider) => [
          provider.alias === undefined ? undefined : `aws.${String(provider.alias)}`,
          String(provider.region),
        ]),
    );
    this.defaultRegion = this.providerRegions.get(undefined) ?? options.region ?? 'us-east-1';
    const standIns = localStandIns((config) => this.regionOf(config));
    const computed = options.computed;
    this.resolver = new TerraformResolver(
      json,
      computed === undefined
        ? standIns
        : (type, name, attribute, config) =>
            computed(type, name, attribute, config) ?? standIns(type, name, attribute, config),
    );
  }

  /** The region a resource is in: its provider's. */
  regionOf(resource: Config): string {
    return (
      this.providerRegions.get(
        resource.provider === undefined ? undefined : String(resource.provider),
      ) ?? this.defaultRegion
    );
  }

  /** The resources of a type: [name, configuration as written]. */
  resources(type: string): [string, Config][] {
    return Object.entries(this.json.resource?.[type] ?? {});
  }

  /** A resource's attribute, resolved. */
  attribute(type: string, name: string, attribute: string): Json {
    return this.resolver.attribute(type, name, attribute);
  }

  metricAlarms(): MetricAlarmDefinition[] {
    const type = 'aws_cloudwatch_metric_alarm';
    return this.resources(type).map(([name, alarm]) =>
      metricAlarmDefinition(
        (attribute) => (attribute in alarm ? this.attribute(type, name, attribute) : undefined),
        this.regionOf(alarm),
      ),
    );
  }

  compositeAlarms(): CompositeAlarmDefinition[] {
    const type = 'aws_cloudwatch_composite_alarm';
    return this.resources(type).map(([name, alarm]): CompositeAlarmDefinition => {
      const read = (attribute: string) => this.attribute(type, name, attribute);
      const has = (attribute: string) => attribute in alarm;
      const suppressor = has('actions_suppressor')
        ? (block(read('actions_suppressor')) as Config)
        : undefined;
      return {
        name: String(read('alarm_name')),
        ...(has('alarm_description') && { description: String(read('alarm_description')) }),
        region: this.regionOf(alarm),
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
    });
  }

  dashboards(): StackDashboard[] {
    const type = 'aws_cloudwatch_dashboard';
    return this.resources(type).map(([name]) => {
      const dashboardName = String(this.attribute(type, name, 'dashboard_name'));
      let body: DashboardBody;
      try {
        body = JSON.parse(String(this.attribute(type, name, 'dashboard_body'))) as DashboardBody;
      } catch (error: unknown) {
        throw new StackDefinitionsError(
          `dashboard ${dashboardName}: its dashboard_body is not JSON: ${(error as Error).message}`,
        );
      }
      return { name: dashboardName, body };
    });
  }

  /**
   * The canaries, each with its schedule as the resource declares it and the log group its runs
   * write to, named after its function (Synthetics's `cwsyn-<name>-<id>`, whose id the local
   * stand-ins make up, as they make up the engine_arn a stack's own log group is named from).
   */
  canaries(): StackCanary[] {
    const type = 'aws_synthetics_canary';
    return this.resources(type).map(([name, canary]) => {
      const physical = String(this.attribute(type, name, 'name'));
      const schedule = block(this.attribute(type, name, 'schedule')) as Config | undefined;
      const expression = String(schedule?.expression ?? '');
      const interval = scheduleInterval(expression);
      if (interval.kind === 'invalid')
        throw new StackDefinitionsError(`canary ${physical}: ${interval.reason}`);
      const retry = block(schedule?.retry_config ?? null) as Config | undefined;
      const run = (
        'run_config' in canary ? block(this.attribute(type, name, 'run_config')) : undefined
      ) as Config | undefined;
      // "If you omit this field, the frequency of the canary is used as this value, up to a
      // maximum of 840 (14 minutes)" (aws_synthetics_canary, run_config.timeout_in_seconds).
      const defaultTimeout = interval.kind === 'every' ? Math.min(interval.seconds, 840) : 840;
      return {
        name: physical,
        schedule: {
          expression: expression as CanarySchedule['expression'],
          maxRetries: numberOf(retry?.max_retries, 0) as CanarySchedule['maxRetries'],
          timeoutSeconds: numberOf(run?.timeout_in_seconds, defaultTimeout),
          // MemoryInMB's documented minimum; AWS states no default (the scheduler does not use it).
          memoryMb: numberOf(run?.memory_in_mb, 960),
        },
        logGroupName: `/aws/lambda/${canaryFunctionName(physical)}`,
      };
    });
  }

  logGroups(): LocalLogGroup[] {
    const type = 'aws_cloudwatch_log_group';
    return this.resources(type).map(([name, group]): LocalLogGroup => {
      const retention =
        'retention_in_days' in group
          ? numberOf(this.attribute(type, name, 'retention_in_days'))
          : 0;
      // Terraform's 0 is "never expire" (log-retention.ts).
      return {
        name: String(this.attribute(type, name, 'name')),
        ...(retention > 0 && { retentionDays: retention }),
      };
    });
  }

  topics(): AlarmTopicDefinition[] {
    const subscriptions = this.resources('aws_sns_topic_subscription').map(([name]) => ({
      topicArn: String(this.attribute('aws_sns_topic_subscription', name, 'topic_arn')),
      protocol: String(this.attribute('aws_sns_topic_subscription', name, 'protocol')),
      endpoint: String(this.attribute('aws_sns_topic_subscription', name, 'endpoint')),
    }));
    return this.resources('aws_sns_topic').map(([name, topic]) => {
      const arn = String(this.attribute('aws_sns_topic', name, 'arn'));
      return {
        arn,
        region: this.regionOf(topic),
        emails: subscriptions
          .filter((subscription) => subscription.topicArn === arn)
          .filter((subscription) => subscription.protocol.startsWith('email'))
          .map((subscription) => subscription.endpoint),
      };
    });
  }
}

/** A nested block: cdktf writes one as an object, hand-written Terraform JSON as a list of one. */
function block(value: Json): Json | undefined {
  if (Array.isArray(value)) return value[0];
  return value ?? undefined;
}
