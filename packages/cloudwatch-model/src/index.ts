/**
 * @monitored/cloudwatch-model: CloudWatch as data, with no dependencies. Metric specs and AWS's
 * metric catalogues, statistics, alarm definitions and the composite AlarmRule language, dashboard
 * bodies and widget builders, console links, schedules, the Synthetics runtimes, log retention
 * periods, the deploy hold and the thresholds of canaries that page around it, and the one rule
 * for request text shown to a person.
 */
export {
  COMPARISON_OPERATORS,
  TREAT_MISSING_DATA,
  ALARM_STATES,
  AlarmDefinitionError,
  validateMetricAlarm,
  validateCompositeAlarm,
  longestEvaluationSeconds,
  EVALUATION_RANGE_EXTRA_PERIODS,
  alarmArn,
  actionsFor,
  type ComparisonOperator,
  type TreatMissingData,
  type Threshold,
  type MetricAlarmDefinition,
  type CompositeAlarmDefinition,
  type AlarmDefinition,
  type AlarmState,
  ALARM_LIMITS,
} from './alarm-model';
export {
  MAX_RULE_CHILDREN,
  MAX_RULE_ELEMENTS,
  MAX_RULE_LENGTH,
  AlarmRuleError,
  parseAlarmRule,
  statesByName,
  evaluateAlarmRule,
  referencedAlarmName,
  type AlarmRuleNode,
  type AlarmRule,
} from './alarm-rule';
export {
  NOT_RUNNING_PERIODS,
  FIRST_RUN_MARGIN_SECONDS,
  canaryThresholds,
  deployHoldThreshold,
  deployedRecentlyThreshold,
  newCanaryGraceSeconds,
  pagingSuppression,
  type CanaryAlarmSettings,
  type DeployHoldSettings,
  type Suppression,
} from './canary-paging';
export { javaDouble, reasonDate, cloudWatchTimestamp, longDate } from './alarm-text';
export {
  LOG_GROUP_LINK_ENCODINGS,
  consoleLink,
  linkWithReference,
  parseConsoleLink,
  type LogsInsightsLink,
  type ParsedConsoleLink,
} from './console-links';
export {
  DEPLOY_HOLD_SECONDS,
  wholeMinute,
  holdLookback,
  holdExpiresAt,
  holdDatapoints,
  releaseDatapoints,
  heldMinutes,
  type MinuteSum,
  type HoldDatapoint,
} from './deploy-hold';
export { LOG_RETENTION_DAYS, type LogRetentionDays } from './log-retention';
export {
  SYNTHETICS,
  API_GATEWAY,
  LAMBDA,
  DYNAMODB,
  DYNAMODB_OPERATIONS,
  CLOUDFRONT,
  CLOUDFRONT_METRICS_REGION,
  CLOUDFRONT_REGION_DIMENSION,
  deployInProgressMetric,
  AWS_METRICS,
  metric,
  metricCatalogue,
  isDeployInProgressMetric,
  type Statistic,
  type Unit,
  type MetricSpec,
  type MetricRef,
  type MetricCatalogue,
} from './metrics';
export { plural } from './plural';
export {
  nextRun,
  scheduleInterval,
  runsWithinSeconds,
  scheduleRunsPerDay,
  type RateExpression,
  type CronExpression,
  type CanarySchedule,
  type Interval,
} from './schedules';
export { StatisticError, parseStatistic, computeStatistic } from './statistics';
export {
  SYNTHETICS_RUNTIMES,
  syntheticsRuntime,
  canaryFunctionNamePrefix,
  type SyntheticsRuntime,
} from './synthetics-runtimes';
export { visibleText, hasHiddenControls, type VisibleTextOptions } from './visible-text';
export {
  GRID_COLUMNS,
  FULL_WIDTH,
  HALF_WIDTH,
  THIRD_WIDTH,
  QUARTER_WIDTH,
  DEFAULT_HEIGHT,
  logWidgetQuery,
  dashboardBody,
  type Size,
  type HorizontalAnnotation,
  type MetricRow,
  type MetricWidgetSpec,
  type TextWidgetSpec,
  type LogWidgetSpec,
  type AlarmWidgetSpec,
  type WidgetSpec,
  type BodyWidget,
  type DashboardBody,
} from './widgets';
