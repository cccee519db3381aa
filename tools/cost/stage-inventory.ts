/**
 * What a stage deploys that the monitoring bill counts, read from its synthesized Terraform: the
 * same constructs `cdktf synth` runs, so the estimate follows the stage config and the stack with
 * no second copy of a schedule, an alarm or a widget. Terraform references between resources
 * (`${aws_synthetics_canary.<id>.name}`) are followed by resource id.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  isJsonObject,
  TerraformModule,
  type Json,
  type JsonObject,
  type TerraformJson,
} from '@monitored/terraform-json';
import { App, type TerraformStack } from 'cdktf';
import type { StageConfig } from '../../stacks/config';
import { MessageSystemStack } from '../../stacks/message-system-stack';
import { buildArtifacts } from '../../bundling/artifacts';

export interface CanaryInventory {
  /** The Terraform resource id (what references name). */
  readonly id: string;
  readonly name: string;
  readonly expression: string;
  readonly maxRetries: number;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Days Synthetics keeps a run's history (the artifact bucket expires objects with the same). */
  readonly retentionDays: number;
}

export interface MetricAlarmInventory {
  readonly id: string;
  readonly name: string;
  /** Metrics the alarm watches: 1, or each `metric_query` that names a metric. */
  readonly metrics: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** The canary whose metric it watches (its `CanaryName` dimension), by resource id. */
  readonly canaryId?: string;
  /** Its one metric's name and statistic; undefined for metric math. */
  readonly metricName?: string;
  readonly statistic?: string;
}

/**
 * A metric the stack's alarms watch that no AWS service publishes (a namespace outside `AWS/` and
 * CloudWatch Synthetics'): someone sends it, and it is billed as a custom metric.
 */
export interface CustomMetricInventory {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface CompositeAlarmInventory {
  readonly name: string;
  readonly rule: string;
  /** Seconds the composite holds its actions after it goes to ALARM (its suppressor's wait). */
  readonly actionsWaitSeconds: number;
}

export type LogGroupRole = 'function' | 'access' | 'canary';

export interface LogGroupInventory {
  readonly id: string;
  readonly retentionDays: number;
  /** What writes to it; undefined for a group the estimate has no volume for. */
  readonly role?: LogGroupRole;
  /** For a canary's group: the canary's resource id. */
  readonly canaryId?: string;
}

export interface LogWidgetInventory {
  readonly title: string;
  /** The groups it queries, by resource id. */
  readonly logGroupIds: readonly string[];
  /** Hours of logs each view scans: the dashboard's default range. */
  readonly rangeHours: number;
}

export interface StageInventory {
  readonly stage: string;
  readonly region: string;
  readonly canaries: readonly CanaryInventory[];
  readonly metricAlarms: readonly MetricAlarmInventory[];
  readonly compositeAlarms: readonly CompositeAlarmInventory[];
  readonly customMetrics: readonly CustomMetricInventory[];
  readonly dashboards: number;
  readonly logWidgets: readonly LogWidgetInventory[];
  readonly logGroups: readonly LogGroupInventory[];
  readonly kmsKeys: number;
  readonly emailSubscriptions: number;
}

/** Builds the stage's stack from `config`, as `main.ts` does, without writing anything to keep. */
export function synthesizeStage(
  config: StageConfig,
  today: Date,
  extend?: (stack: MessageSystemStack) => void,
): StageInventory {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-synth-'));
  try {
    const stack = new MessageSystemStack(new App({ outdir }), config.stage, {
      config,
      artifacts: buildArtifacts(),
      today,
    });
    extend?.(stack);
    return inventoryOf(stack, config.stage, config.region);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Namespaces AWS services publish to: theirs (`AWS/…`) and CloudWatch Synthetics'. */
const AWS_NAMESPACE = /^(AWS\/|CloudWatchSynthetics$)/;

const numberOf = (value: Json | undefined, what: string): number => {
  if (typeof value !== 'number')
    throw new Error(`${what}: expected a number, found ${String(value)}`);
  return value;
};
const objectOf = (value: Json | undefined): JsonObject => (isJsonObject(value) ? value : {});

/** Hours in an ISO 8601 duration such as the dashboard's `-PT3H`. CloudWatch's default is 3 hours. */
export function rangeHours(start: string | undefined): number {
  if (start === undefined) return 3;
  const match = /^-P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(start);
  if (match === null) throw new Error(`dashboard start ${start}: not a relative ISO 8601 duration`);
  const [, days, hours, minutes] = match.map((part) => Number(part ?? 0));
  return days * 24 + hours + minutes / 60;
}

/** Reads a synthesized stack's monitoring inventory. */
function inventoryOf(stack: TerraformStack, stage: string, region: string): StageInventory {
  const module = new TerraformModule(stack.toTerraform() as TerraformJson);
  const resources = (type: string): [string, JsonObject][] =>
    module.ofType(type).map(({ name, config }) => [name, config]);
  /** The id of the resource of `type` that a value refers to (`${<type>.<id>.<attribute>}`). */
  const referencedId = (value: Json | undefined, type: string): string | undefined =>
    module.referencedBy(value, type)?.name;

  const canaries = resources('aws_synthetics_canary').map(([id, canary]): CanaryInventory => {
    const schedule = objectOf(canary.schedule);
    const run = objectOf(canary.run_config);
    return {
      id,
      name: String(canary.name),
      expression: String(schedule.expression),
      maxRetries: Number(objectOf(schedule.retry_config).max_retries ?? 0),
      timeoutSeconds: numberOf(run.timeout_in_seconds, `canary ${id} timeout`),
      memoryMb: numberOf(run.memory_in_mb, `canary ${id} memory`),
      retentionDays: numberOf(canary.success_retention_period, `canary ${id} retention`),
    };
  });

  const metricAlarms = resources('aws_cloudwatch_metric_alarm').map(
    ([id, alarm]): MetricAlarmInventory => {
      const queries = Array.isArray(alarm.metric_query) ? alarm.metric_query : [];
      const evaluationPeriods = numberOf(alarm.evaluation_periods, `alarm ${id} periods`);
      const period =
        typeof alarm.period === 'number'
          ? alarm.period
          : Math.min(
              ...queries.map((query) => Number(objectOf(objectOf(query).metric).period ?? 60)),
            );
      return {
        id,
        name: String(alarm.alarm_name),
        // Metric math: each metric it reads is billed, not the expressions.
        metrics:
          queries.length === 0
            ? 1
            : queries.filter((query) => objectOf(query).metric !== undefined).length,
        periodSeconds: period,
        evaluationPeriods,
        datapointsToAlarm:
          typeof alarm.datapoints_to_alarm === 'number'
            ? alarm.datapoints_to_alarm
            : evaluationPeriods,
        canaryId: referencedId(objectOf(alarm.dimensions).CanaryName, 'aws_synthetics_canary'),
        ...(typeof alarm.metric_name === 'string' && { metricName: alarm.metric_name }),
        ...(typeof alarm.statistic === 'string' && { statistic: alarm.statistic }),
      };
    },
  );

  const customMetrics = new Map<string, CustomMetricInventory>();
  for (const [, alarm] of resources('aws_cloudwatch_metric_alarm')) {
    const queried = Array.isArray(alarm.metric_query)
      ? alarm.metric_query.map((query) => objectOf(objectOf(query).metric))
      : [alarm];
    for (const metric of queried) {
      const namespace = metric.namespace;
      if (typeof namespace !== 'string' || AWS_NAMESPACE.test(namespace)) continue;
      const found: CustomMetricInventory = {
        namespace,
        name: String(metric.metric_name),
        dimensions: Object.fromEntries(
          Object.entries(objectOf(metric.dimensions)).map(([key, value]) => [key, String(value)]),
        ),
      };
      customMetrics.set(JSON.stringify(found), found);
    }
  }

  const compositeAlarms = resources('aws_cloudwatch_composite_alarm').map(
    ([, alarm]): CompositeAlarmInventory => ({
      name: String(alarm.alarm_name),
      rule: String(alarm.alarm_rule),
      actionsWaitSeconds: Number(objectOf(alarm.actions_suppressor).wait_period ?? 0),
    }),
  );

  const functionGroups = new Set(
    resources('aws_lambda_function').map(([, fn]) =>
      referencedId(objectOf(fn.logging_config).log_group, 'aws_cloudwatch_log_group'),
    ),
  );
  const accessGroups = new Set(
    resources('aws_apigatewayv2_stage').map(([, apiStage]) =>
      referencedId(
        objectOf(apiStage.access_log_settings).destination_arn,
        'aws_cloudwatch_log_group',
      ),
    ),
  );
  const logGroups = resources('aws_cloudwatch_log_group').map(([id, group]): LogGroupInventory => {
    const canaryId = referencedId(group.name, 'aws_synthetics_canary');
    const role: LogGroupRole | undefined = functionGroups.has(id)
      ? 'function'
      : accessGroups.has(id)
        ? 'access'
        : canaryId !== undefined
          ? 'canary'
          : undefined;
    return {
      id,
      // Without retention a group keeps its logs for ever; the policy rules refuse that.
      retentionDays: numberOf(group.retention_in_days, `log group ${id} retention`),
      ...(role !== undefined && { role }),
      ...(canaryId !== undefined && { canaryId }),
    };
  });

  const dashboards = resources('aws_cloudwatch_dashboard');
  const logWidgets = dashboards.flatMap(([, dashboard]) => {
    const body = JSON.parse(String(dashboard.dashboard_body)) as {
      start?: string;
      widgets: { type: string; properties: { title?: string; query?: string } }[];
    };
    return body.widgets
      .filter((widget) => widget.type === 'log')
      .map((widget): LogWidgetInventory => ({
        title: String(widget.properties.title),
        logGroupIds: [...String(widget.properties.query).matchAll(/SOURCE '([^']*)'/g)].map(
          ([, group]) => {
            const id = referencedId(group, 'aws_cloudwatch_log_group');
            if (id === undefined)
              throw new Error(
                `log widget "${widget.properties.title}": ${group} is no log group of the stack`,
              );
            return id;
          },
        ),
        rangeHours: rangeHours(body.start),
      }));
  });

  return {
    stage,
    region,
    canaries,
    metricAlarms,
    compositeAlarms,
    customMetrics: [...customMetrics.values()],
    dashboards: dashboards.length,
    logWidgets,
    logGroups,
    kmsKeys: resources('aws_kms_key').length,
    emailSubscriptions: resources('aws_sns_topic_subscription').filter(
      ([, subscription]) => subscription.protocol === 'email',
    ).length,
  };
}
