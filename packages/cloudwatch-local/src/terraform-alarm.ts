/**
 * A metric alarm's definition from the attributes of its `aws_cloudwatch_metric_alarm`, with
 * Terraform's defaults: what the stack declares, read back for whatever evaluates it (the local
 * monitor, the rehearsals' fake account). No cdktf imports.
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_metric_alarm
 */
import type {
  Statistic,
  ComparisonOperator,
  MetricAlarmDefinition,
  TreatMissingData,
} from '@monitored/cloudwatch-model';
import type { Json } from '@monitored/terraform-json';

export const strings = (value: Json | undefined): string[] =>
  Array.isArray(value) ? value.map(String) : [];

export function numberOf(value: Json | undefined, fallback?: number): number {
  if (typeof value === 'number') return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`expected a number, found ${JSON.stringify(value)}`);
}

/**
 * `read(attribute)` gives an attribute's value (resolved where it had to be), undefined when the
 * configuration leaves it out.
 */
export function metricAlarmDefinition(
  read: (attribute: string) => Json | undefined,
  region: string,
): MetricAlarmDefinition {
  const has = (attribute: string) => read(attribute) !== undefined;
  const evaluationPeriods = numberOf(read('evaluation_periods'));
  return {
    name: String(read('alarm_name')),
    ...(has('alarm_description') && { description: String(read('alarm_description')) }),
    region,
    namespace: String(read('namespace')),
    metricName: String(read('metric_name')),
    // A metric with no dimensions (the deploy alarm's) leaves the attribute out.
    dimensions: Object.fromEntries(
      Object.entries((read('dimensions') as Record<string, Json> | null | undefined) ?? {}).map(
        ([key, value]) => [key, String(value)],
      ),
    ),
    statistic: String(
      has('extended_statistic') ? read('extended_statistic') : read('statistic'),
    ) as Statistic,
    period: numberOf(read('period')),
    evaluationPeriods,
    // Terraform's default, and PutMetricAlarm's: all of the evaluation periods.
    datapointsToAlarm: has('datapoints_to_alarm')
      ? numberOf(read('datapoints_to_alarm'))
      : evaluationPeriods,
    threshold: numberOf(read('threshold')),
    comparisonOperator: String(read('comparison_operator')) as ComparisonOperator,
    ...(has('treat_missing_data') && {
      treatMissingData: String(read('treat_missing_data')) as TreatMissingData,
    }),
    ...(has('unit') && { unit: String(read('unit')) }),
    alarmActions: strings(read('alarm_actions')),
    okActions: strings(read('ok_actions')),
    insufficientDataActions: strings(read('insufficient_data_actions')),
  };
}
