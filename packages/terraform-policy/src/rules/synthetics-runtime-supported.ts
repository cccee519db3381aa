import { syntheticsRuntime } from '@monitored/cloudwatch-model';
import {
  acceptedPastDeprecation,
  daysUntil,
  DEPRECATION_WARNING_DAYS,
  deprecationWarning,
  isAccepted,
  pastDeprecationRefusal,
  type PastDeprecation,
} from '../deprecation';
import type { Resource } from '@monitored/terraform-json';
import type { PolicyRule } from '../types';

/**
 * What Synthetics still allows on a deprecated runtime, in the words of its runtime support policy
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Runtime_Support_Policy.html):
 * "You can't create canaries using deprecated runtime versions. Canaries that use deprecated
 * runtimes continue to run. You can stop, start, and delete these canaries. You can update an
 * existing canary that uses a deprecated runtime version by updating the canary to use a supported
 * runtime version."
 */
const STILL_ALLOWED =
  'existing canaries keep running and can be stopped, started and deleted, but no canary can be created on it, and an existing one can only be updated to a supported runtime (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Runtime_Support_Policy.html)';

function pastDeprecation(canary: Resource, today: Date): PastDeprecation | undefined {
  const name = canary.config.runtime_version;
  if (typeof name !== 'string') return undefined;
  const date = syntheticsRuntime(name)?.deprecated;
  if (date === undefined || daysUntil(date, today) > 0) return undefined;
  return { runtime: name, date, stillAllowed: STILL_ALLOWED };
}

/**
 * A canary's runtime is one AWS documents and not deprecated: from its deprecation date no canary
 * can be created on it and an existing one cannot be changed, so the next apply would fail.
 */
export const syntheticsRuntimeSupported: PolicyRule = {
  id: 'synthetics-runtime-supported',
  description: `No canary uses a deprecated or unknown Synthetics runtime; one within ${DEPRECATION_WARNING_DAYS} days of its date warns`,
  resourceTypes: ['aws_synthetics_canary'],
  check(canary, _stack, context) {
    const name = canary.config.runtime_version;
    if (typeof name !== 'string') return 'no runtime_version';
    if (syntheticsRuntime(name) === undefined)
      return `runtime ${name} is not in the dated list of packages/cloudwatch-model/src/synthetics-runtimes.ts`;
    const deprecation = pastDeprecation(canary, context.today);
    return deprecation === undefined || isAccepted(name, context.acceptDeprecatedRuntimes)
      ? undefined
      : pastDeprecationRefusal(deprecation, context.runtimeOverride);
  },
  warn(canary, _stack, context) {
    const name = canary.config.runtime_version;
    const deprecated = typeof name === 'string' ? syntheticsRuntime(name)?.deprecated : undefined;
    if (deprecated === undefined || typeof name !== 'string') return undefined;
    const deprecation = pastDeprecation(canary, context.today);
    if (deprecation !== undefined) {
      return isAccepted(name, context.acceptDeprecatedRuntimes)
        ? acceptedPastDeprecation(deprecation, context.runtimeOverride)
        : undefined;
    }
    return deprecationWarning(name, deprecated, context.today);
  },
};
