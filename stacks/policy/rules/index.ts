import type { PolicyRule } from '../rule';
import { cloudfrontHttps } from './cloudfront-https';
import { cloudfrontOriginAccessControl } from './cloudfront-origin-access-control';
import { corsNoWildcard } from './cors-no-wildcard';
import { dynamodbPointInTimeRecovery } from './dynamodb-point-in-time-recovery';
import { httpApiThrottling } from './http-api-throttling';
import { iamNoWildcards } from './iam-no-wildcards';
import { lambdaLogLevel } from './lambda-log-level';
import { lambdaRuntimeSupported } from './lambda-runtime-supported';
import { logGroupRetention } from './log-group-retention';
import { s3BucketEncryption } from './s3-bucket-encryption';
import { s3NoPublicAcl } from './s3-no-public-acl';
import { s3NoPublicPolicy } from './s3-no-public-policy';
import { s3PublicAccessBlock } from './s3-public-access-block';

export const ALL_RULES: readonly PolicyRule[] = [
  s3PublicAccessBlock,
  s3NoPublicAcl,
  s3NoPublicPolicy,
  s3BucketEncryption,
  dynamodbPointInTimeRecovery,
  lambdaRuntimeSupported,
  lambdaLogLevel,
  logGroupRetention,
  iamNoWildcards,
  httpApiThrottling,
  corsNoWildcard,
  cloudfrontOriginAccessControl,
  cloudfrontHttps,
];
