import { asList, block } from '@monitored/terraform-json';
import type { PolicyRule } from '../types';

export const corsNoWildcard: PolicyRule = {
  id: 'cors-no-wildcard',
  description: 'API CORS names its origins instead of allowing any ("*")',
  resourceTypes: ['aws_apigatewayv2_api'],
  check(api) {
    const cors = block(api.config.cors_configuration);
    if (cors === undefined) return undefined;
    const origins = asList(cors.allow_origins);
    if (origins.length === 0) return 'cors_configuration allows no origin; name the website origin';
    return origins.some((origin) => typeof origin === 'string' && origin.includes('*'))
      ? 'CORS allows any origin ("*")'
      : undefined;
  },
};
