import { block, blocks } from '@monitored/terraform-json';
import type { PolicyRule } from '../types';

export const cloudfrontOac: PolicyRule = {
  id: 'cloudfront-oac',
  description:
    'CloudFront reads S3 origins through Origin Access Control, not the legacy OAI or a public bucket',
  resourceTypes: ['aws_cloudfront_distribution'],
  check(distribution) {
    for (const origin of blocks(distribution.config.origin)) {
      const domain = String(origin.domain_name);
      const isS3 = domain.includes('aws_s3_bucket.') || /\.s3[.-]/.test(domain);
      if (!isS3) continue;
      if (block(origin.s3_origin_config)?.origin_access_identity)
        return `origin ${String(origin.origin_id)} uses a legacy origin access identity`;
      if (!origin.origin_access_control_id)
        return `S3 origin ${String(origin.origin_id)} has no origin_access_control_id`;
    }
    return undefined;
  },
};
