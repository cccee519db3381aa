import { blocks } from '@monitored/terraform-json';
import type { PolicyRule } from '../types';

export const s3BucketEncryption: PolicyRule = {
  id: 's3-bucket-encryption',
  description: 'Every bucket states its default encryption',
  resourceTypes: ['aws_s3_bucket'],
  check(bucket, stack) {
    const configured = stack
      .referencing('aws_s3_bucket_server_side_encryption_configuration', 'bucket', bucket)
      .some((config) =>
        blocks(config.config.rule).some((rule) =>
          blocks(rule.apply_server_side_encryption_by_default).some((byDefault) =>
            ['AES256', 'aws:kms', 'aws:kms:dsse'].includes(String(byDefault.sse_algorithm)),
          ),
        ),
      );
    return configured
      ? undefined
      : 'no aws_s3_bucket_server_side_encryption_configuration with an algorithm';
  },
};
