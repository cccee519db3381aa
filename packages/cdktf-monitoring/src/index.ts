/**
 * @monitored/cdktf-monitoring: CDK for Terraform constructs for watching a stage from outside.
 * Synthetics canaries (artifact bucket, a role under a permissions boundary, log groups from the
 * canary's engine), an encrypted alarm topic, alarms built from threshold tables with a paging
 * composite that a deploy alarm suppresses (CanaryPaging: canaries that page without paging a new
 * stage), dashboards, and the helpers they stand on: physical names checked against each
 * service's rules, IAM policy documents, log groups, private buckets, file assets. Naming and metric catalogues are the caller's, passed in.
 */
export { CLOUDWATCH_SERVICE_PRINCIPAL, AlarmTopic, type AlarmTopicProps } from './alarm-topic';
export {
  thresholdAlarm,
  tableAlarms,
  canaryAlarms,
  deployAlarm,
  pagingComposite,
  type AlarmDestination,
  type BuiltAlarm,
  type ThresholdAlarmProps,
  type TableAlarm,
  type TableAlarmsProps,
  type CanaryAlarms,
  type CanaryAlarmsProps,
  type DeployAlarmProps,
  type PagingCompositeProps,
} from './alarms';
export { Canary, type CanaryCode, type CanaryProps } from './canary';
export {
  CanaryPaging,
  canaryPaging,
  type CanaryPagingProps,
  type CanaryPagingAlarms,
  type PagedCanary,
  type DeployHold,
} from './canary-paging';
export { CanaryGroup, type CanarySpec, type CanaryGroupProps } from './canary-group';
export {
  Dashboard,
  logGroupLink,
  linkByReference,
  thresholdLine,
  type DashboardProps,
} from './dashboard';
export { FileAsset, type FileAssetProps } from './file-asset';
export {
  policyDocument,
  assumeRolePolicy,
  roleArn,
  managedPolicyArn,
  type PolicyStatement,
} from './iam-policy';
export { LogGroup, type LogGroupProps } from './log-group';
export {
  NodeFunction,
  type FunctionCode,
  type LambdaLogLevel,
  type NodeFunctionSettings,
  type NodeFunctionProps,
  type TableBinding,
} from './node-function';
export {
  lambdaLogGroupName,
  physicalName,
  canaryFunctionPattern,
  type NamedService,
} from './physical-name';
export { PrivateBucket, type PrivateBucketProps } from './private-bucket';
