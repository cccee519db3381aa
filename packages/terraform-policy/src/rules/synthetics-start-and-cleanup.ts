import type { PolicyRule } from '../types';

export const syntheticsStartAndCleanup: PolicyRule = {
  id: 'synthetics-start-and-cleanup',
  description: 'Canaries start when created and take their Lambda with them when destroyed',
  resourceTypes: ['aws_synthetics_canary'],
  check(canary) {
    // The provider's defaults for both are false.
    if (canary.config.start_canary !== true)
      return 'start_canary is not true: the canary is created stopped and never runs';
    if (canary.config.delete_lambda !== true)
      return "delete_lambda is not true: destroy would leave the canary's Lambda function and layers behind";
    return undefined;
  },
};
