import { syntheticsRuntime } from '../../monitoring/synthetics-runtimes';
import { daysUntil, DEPRECATION_WARNING_DAYS, deprecationWarning } from '../deprecation';
import type { PolicyRule } from '../types';

/**
 * A canary's runtime is one AWS documents and not deprecated: from its deprecation date no canary
 * can be created or updated on it, so the next apply would fail.
 */
export const syntheticsRuntimeSupported: PolicyRule = {
  id: 'synthetics-runtime-supported',
  description: `No canary uses a deprecated or unknown Synthetics runtime; one within ${DEPRECATION_WARNING_DAYS} days of its date warns`,
  resourceTypes: ['aws_synthetics_canary'],
  check(canary, _stack, { today }) {
    const name = canary.config.runtime_version;
    if (typeof name !== 'string') return 'no runtime_version';
    const runtime = syntheticsRuntime(name);
    if (runtime === undefined)
      return `runtime ${name} is not in the dated list of stacks/monitoring/synthetics-runtimes.ts`;
    if (runtime.deprecated !== undefined && daysUntil(runtime.deprecated, today) <= 0)
      return `runtime ${name} was deprecated on ${runtime.deprecated}: no canary can be created or updated on it`;
    return undefined;
  },
  warn(canary, _stack, { today }) {
    const name = canary.config.runtime_version;
    const deprecated = typeof name === 'string' ? syntheticsRuntime(name)?.deprecated : undefined;
    return deprecated === undefined || typeof name !== 'string'
      ? undefined
      : deprecationWarning(name, deprecated, today);
  },
};
