import { block } from '@monitored/terraform-json';
import type { PolicyRule } from '../types';

export const httpApiThrottling: PolicyRule = {
  id: 'http-api-throttling',
  description: 'Every HTTP API stage sets both throttling limits',
  resourceTypes: ['aws_apigatewayv2_stage'],
  check(stage) {
    const settings = block(stage.config.default_route_settings);
    const burst = settings?.throttling_burst_limit;
    const rate = settings?.throttling_rate_limit;
    // Without both, default_route_settings makes the missing one 0 and every request gets a 429.
    if (typeof burst !== 'number' || burst <= 0)
      return 'default_route_settings has no positive throttling_burst_limit';
    if (typeof rate !== 'number' || rate <= 0)
      return 'default_route_settings has no positive throttling_rate_limit';
    return undefined;
  },
};
