import type { PolicyRule } from '../types';
import { alarmActions } from './alarm-actions';
import { alarmTopicEncryption } from './alarm-topic-encryption';
import { canaryNotRunningGrace } from './canary-not-running-grace';
import { cloudfrontHttps } from './cloudfront-https';
import { cloudfrontOac } from './cloudfront-oac';
import { corsNoWildcard } from './cors-no-wildcard';
import { dynamodbPitr } from './dynamodb-pitr';
import { httpApiThrottling } from './http-api-throttling';
import { iamNoWildcards } from './iam-no-wildcards';
import { lambdaLogLevel } from './lambda-log-level';
import { lambdaRuntimeSupported } from './lambda-runtime-supported';
import { logGroupRetention } from './log-group-retention';
import { s3BucketEncryption } from './s3-bucket-encryption';
import { s3NoPublicAcl } from './s3-no-public-acl';
import { s3NoPublicPolicy } from './s3-no-public-policy';
import { s3PublicAccessBlock } from './s3-public-access-block';
import { syntheticsArtifactBucket } from './synthetics-artifact-bucket';
import { syntheticsCanaryName } from './synthetics-canary-name';
import { syntheticsCanaryZip } from './synthetics-canary-zip';
import { syntheticsRunConfig } from './synthetics-run-config';
import { syntheticsRuntimeSupported } from './synthetics-runtime-supported';
import { syntheticsStartAndCleanup } from './synthetics-start-and-cleanup';

/** Every rule, each in the file named by its id (a test holds the two lists together). */
export const ALL_RULES: readonly PolicyRule[] = [
  s3PublicAccessBlock,
  s3NoPublicAcl,
  s3NoPublicPolicy,
  s3BucketEncryption,
  dynamodbPitr,
  lambdaRuntimeSupported,
  lambdaLogLevel,
  logGroupRetention,
  iamNoWildcards,
  httpApiThrottling,
  corsNoWildcard,
  cloudfrontOac,
  cloudfrontHttps,
  syntheticsRuntimeSupported,
  syntheticsCanaryZip,
  syntheticsCanaryName,
  syntheticsStartAndCleanup,
  syntheticsRunConfig,
  syntheticsArtifactBucket,
  alarmActions,
  alarmTopicEncryption,
  canaryNotRunningGrace,
];
