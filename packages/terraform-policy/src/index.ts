/**
 * @monitored/terraform-policy: policy rules over Terraform JSON, in the style of cdk-nag. Each rule
 * is a small pure function over one module's JSON (a synthesized `cdk.tf.json` or any `*.tf.json`)
 * for what AWS would refuse at apply or what would deploy and then fail silently. `checkStack`
 * runs them; exemptions are written in the JSON (a resource's `//` metadata) with a reason; the
 * cdktf Aspect is the subpath `@monitored/terraform-policy/cdktf`.
 */
export { checkStack, formatFinding, type CheckOptions, type Finding } from './check-stack';
export { EXEMPTIONS_KEY, exemptionMetadata, exemptionsOf, type Exemption } from './exemptions';
export type { PolicyRule, RuleContext, RuntimeOverride } from './types';
export { ALL_RULES } from './rules';
export { alarmActions } from './rules/alarm-actions';
export { alarmTopicEncryption } from './rules/alarm-topic-encryption';
export { canaryNotRunningGrace } from './rules/canary-not-running-grace';
export { cloudfrontHttps } from './rules/cloudfront-https';
export { cloudfrontOac } from './rules/cloudfront-oac';
export { corsNoWildcard } from './rules/cors-no-wildcard';
export { dynamodbPitr } from './rules/dynamodb-pitr';
export { httpApiThrottling } from './rules/http-api-throttling';
export { iamNoWildcards } from './rules/iam-no-wildcards';
export { lambdaLogLevel } from './rules/lambda-log-level';
export { lambdaRuntimeSupported } from './rules/lambda-runtime-supported';
export { logGroupRetention } from './rules/log-group-retention';
export { s3BucketEncryption } from './rules/s3-bucket-encryption';
export { s3NoPublicAcl } from './rules/s3-no-public-acl';
export { s3NoPublicPolicy } from './rules/s3-no-public-policy';
export { s3PublicAccessBlock } from './rules/s3-public-access-block';
export { syntheticsArtifactBucket } from './rules/synthetics-artifact-bucket';
export { syntheticsCanaryName } from './rules/synthetics-canary-name';
export { syntheticsCanaryZip } from './rules/synthetics-canary-zip';
export { syntheticsRunConfig } from './rules/synthetics-run-config';
export { syntheticsRuntimeSupported } from './rules/synthetics-runtime-supported';
export { syntheticsStartAndCleanup } from './rules/synthetics-start-and-cleanup';
export { ACTIONS_WITHOUT_RESOURCES, DEPLOY_ROLE_READ_FAMILIES } from './rules/iam-no-wildcards';
export { RUNTIME_DEPRECATION, RUNTIME_BLOCKS } from './rules/lambda-runtime-supported';
export { DEPRECATION_WARNING_DAYS, daysUntil } from './deprecation';
export { datedRuntimes } from './dated-runtimes';
export { statementsOf, isEveryone, type Statement } from './iam-statements';
