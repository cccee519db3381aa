/**
 * The app's metric catalogue: AWS's metrics it records, graphs and alarms on, and each stage's own
 * deploy-hold metric in the stage's namespace (its name prefix). The local twin, the cost model and
 * the tests look metrics up here; a metric outside it is refused.
 */
import {
  AWS_METRICS,
  deployInProgressMetric,
  isDeployInProgressMetric as isHoldMetric,
  metricCatalogue,
} from '@monitored/cloudwatch-model';
import { STAGES } from '../config';
import { namePrefix } from '../shared/naming';

export const METRICS = metricCatalogue([
  ...AWS_METRICS,
  ...STAGES.map((stage) => deployInProgressMetric(namePrefix(stage))),
]);

/** Whether a metric is one of the stages' deploy-hold metrics (the cost model bills it by deploys). */
export function isDeployInProgressMetric(namespace: string, name: string): boolean {
  return STAGES.some((stage) => namespace === namePrefix(stage)) && isHoldMetric(name);
}
