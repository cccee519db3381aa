import { block } from '@monitored/terraform-json';
import type { PolicyRule } from '../types';

const PUBLIC_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read']);

export const s3NoPublicAcl: PolicyRule = {
  id: 's3-no-public-acl',
  description: 'No public canned ACL; buckets disable ACLs (BucketOwnerEnforced)',
  resourceTypes: [
    'aws_s3_bucket',
    'aws_s3_bucket_acl',
    'aws_s3_object',
    'aws_s3_bucket_ownership_controls',
  ],
  check(resource, stack) {
    const acl = resource.config.acl;
    if (typeof acl === 'string' && PUBLIC_ACLS.has(acl)) {
      return `canned ACL "${acl}" makes it public (and fails on buckets with ACLs disabled)`;
    }
    if (resource.type === 'aws_s3_bucket_ownership_controls') {
      const ownership = block(resource.config.rule)?.object_ownership;
      return ownership === 'BucketOwnerEnforced'
        ? undefined
        : `object ownership is ${String(ownership)}, not BucketOwnerEnforced`;
    }
    if (
      resource.type === 'aws_s3_bucket' &&
      stack.referencing('aws_s3_bucket_ownership_controls', 'bucket', resource).length === 0
    ) {
      return 'no aws_s3_bucket_ownership_controls (BucketOwnerEnforced) for this bucket';
    }
    return undefined;
  },
};
