import { block, blocks } from '@monitored/terraform-json';
import type { PolicyRule } from '../types';

const SECURE = new Set(['redirect-to-https', 'https-only']);

export const cloudfrontHttps: PolicyRule = {
  id: 'cloudfront-https',
  description: 'Every CloudFront cache behavior redirects HTTP to HTTPS (or allows HTTPS only)',
  resourceTypes: ['aws_cloudfront_distribution'],
  check(distribution) {
    const behaviors = [
      block(distribution.config.default_cache_behavior),
      ...blocks(distribution.config.ordered_cache_behavior),
    ];
    const insecure = behaviors.find(
      (behavior) => behavior !== undefined && !SECURE.has(String(behavior.viewer_protocol_policy)),
    );
    return insecure === undefined
      ? undefined
      : `a cache behavior allows plain HTTP (viewer_protocol_policy ${String(insecure?.viewer_protocol_policy)})`;
  },
};
