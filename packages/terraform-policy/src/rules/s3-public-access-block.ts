import type { PolicyRule } from '../types';

const SETTINGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

export const s3PublicAccessBlock: PolicyRule = {
  id: 's3-public-access-block',
  description: 'Every bucket has a public access block with all four settings on',
  resourceTypes: ['aws_s3_bucket'],
  check(bucket, stack) {
    const guards = stack.referencing('aws_s3_bucket_public_access_block', 'bucket', bucket);
    if (guards.length === 0) return 'no aws_s3_bucket_public_access_block for this bucket';
    const off = SETTINGS.filter(
      (setting) => !guards.some((guard) => guard.config[setting] === true),
    );
    return off.length > 0 ? `public access block leaves ${off.join(', ')} off` : undefined;
  },
};
