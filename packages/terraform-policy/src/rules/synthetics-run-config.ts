import { scheduleInterval, syntheticsRuntime } from '@monitored/cloudwatch-model';
import { block } from '@monitored/terraform-json';
import type { PolicyRule } from '../types';

// CanaryRunConfigInput and RetryConfigInput in the Synthetics API reference:
// https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_CanaryRunConfigInput.html
// https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_RetryConfigInput.html
const TIMEOUT_SECONDS = { min: 3, max: 840 };
const MEMORY_MB = { min: 960, max: 3008, multipleOf: 64 };
const MAX_RETRIES = 2;
/** "For canary with MaxRetries = 2, you need to set TimeoutInSeconds to less than 600 seconds." */
const TIMEOUT_WITH_TWO_RETRIES = 600;

/**
 * A canary's schedule and run settings are ones Synthetics accepts, stated rather than left to
 * defaults: the timeout within 3–840 s and within the time between runs (which needs a schedule
 * whose interval can be told), memory a multiple of 64 from 960, and 0–2 retries on a runtime
 * that retries. AWS refuses the rest at apply, after everything before it has changed.
 */
export const syntheticsRunConfig: PolicyRule = {
  id: 'synthetics-run-config',
  description:
    'Canary timeout within 3–840 s and the schedule interval, memory a multiple of 64 from 960 MB, 0–2 retries',
  resourceTypes: ['aws_synthetics_canary'],
  check(canary) {
    const problems: string[] = [];
    const schedule = block(canary.config.schedule);
    const expression = schedule?.expression;
    const run = block(canary.config.run_config);
    const timeout = run?.timeout_in_seconds;
    const memory = run?.memory_in_mb;

    if (typeof timeout !== 'number') {
      problems.push('no run_config.timeout_in_seconds');
    } else if (timeout < TIMEOUT_SECONDS.min || timeout > TIMEOUT_SECONDS.max) {
      problems.push(
        `timeout ${timeout} s is outside ${TIMEOUT_SECONDS.min}–${TIMEOUT_SECONDS.max} s`,
      );
    }
    if (typeof expression !== 'string') {
      problems.push('no schedule.expression');
    } else {
      const interval = scheduleInterval(expression);
      if (interval.kind === 'invalid') problems.push(`schedule ${interval.reason}`);
      else if (
        interval.kind === 'every' &&
        typeof timeout === 'number' &&
        timeout > interval.seconds
      )
        problems.push(
          `timeout ${timeout} s is longer than the ${interval.seconds} s between runs of ${expression}`,
        );
    }

    if (typeof memory !== 'number') {
      problems.push('no run_config.memory_in_mb');
    } else if (
      memory < MEMORY_MB.min ||
      memory > MEMORY_MB.max ||
      memory % MEMORY_MB.multipleOf !== 0
    ) {
      problems.push(
        `memory ${memory} MB is not a multiple of ${MEMORY_MB.multipleOf} from ${MEMORY_MB.min} to ${MEMORY_MB.max}`,
      );
    }

    const retries = block(schedule?.retry_config)?.max_retries ?? 0;
    if (
      typeof retries !== 'number' ||
      !Number.isInteger(retries) ||
      retries < 0 ||
      retries > MAX_RETRIES
    ) {
      problems.push(`max_retries ${JSON.stringify(retries)} is not 0 to ${MAX_RETRIES}`);
    } else if (retries > 0) {
      const name = canary.config.runtime_version;
      const runtime = typeof name === 'string' ? syntheticsRuntime(name) : undefined;
      if (runtime !== undefined && !runtime.retries)
        problems.push(
          `runtime ${runtime.name} does not retry (retries need puppeteer 10.0 or later)`,
        );
      if (
        retries === MAX_RETRIES &&
        typeof timeout === 'number' &&
        timeout >= TIMEOUT_WITH_TWO_RETRIES
      )
        problems.push(
          `with ${MAX_RETRIES} retries the timeout must be under ${TIMEOUT_WITH_TWO_RETRIES} s, not ${timeout} s`,
        );
    }
    return problems.length > 0 ? problems.join('; ') : undefined;
  },
};
