import { SYNTHETICS_RUNTIMES } from '@monitored/cloudwatch-model';
import { RUNTIME_DEPRECATION } from './rules/lambda-runtime-supported';

/** Every runtime the dated lists know: Lambda's and Synthetics'. */
export function datedRuntimes(): string[] {
  return [...Object.keys(RUNTIME_DEPRECATION), ...SYNTHETICS_RUNTIMES.map(({ name }) => name)];
}
