/**
 * @monitored/cloudwatch-local: CloudWatch on one machine for a synthesized Terraform stack
 * (`cdk.tf.json`, or any Terraform JSON): the stack's alarms, dashboards, canaries, log groups and
 * topics read back; a metric store over the catalogue it is given; the alarm engine (metric and
 * composite alarms, evaluated by the user guide's rules); Logs Insights; SNS email into an outbox;
 * and the monitor, a local page that draws the stack's dashboard from local data.
 */

// Start here: a stack's monitoring, assembled.
export { LocalCloudWatch, type LocalCloudWatchOptions } from './local-cloudwatch';
export {
  StackDefinitionsError,
  loadStackDefinitions,
  readStackDefinitions,
  StackReader,
  type StackDashboard,
  type StackCanary,
  type LocalLogGroup,
  type AlarmTopicDefinition,
  type StackDefinitions,
  type ReadStackOptions,
  type SynthesizedAwsStack,
} from './stack-definitions';

// Metrics.
export {
  DEFAULT_RETENTION_MS,
  DEFAULT_MAX_POINTS_PER_SERIES,
  MetricDataError,
  MetricStore,
  type MetricDatum,
  type PeriodDatapoint,
  type MetricStoreOptions,
} from './metric-store';
export { datum, datumOf, type RecordMetric } from './datum';

// Alarms.
export {
  ALARM_HISTORY_RETENTION_MS,
  AlarmEngine,
  type AlarmType,
  type AlarmStatus,
  type HistoryEntry,
  type AlarmEvent,
  type AlarmEngineOptions,
} from './alarm-engine';
export {
  evaluationRangeLength,
  evaluateMetricAlarm,
  type RangeDatapoint,
  type MetricAlarmEvaluation,
} from './alarm-evaluator';
export {
  evaluationIntervalSeconds,
  evaluationInstant,
  alarmMetric,
  evaluationRange,
} from './alarm-windows';
export { compositeState, ActionsSuppression } from './composite-alarm';
export { metricAlarmDefinition } from './terraform-alarm';
export { LocalDeployHold } from './deploy-hold';

// Logs Insights.
export { parseQuery, DEFAULT_LIMIT, MAX_LIMIT } from './logs-insights/parser';
export {
  runQuery,
  executeQuery,
  type QueryResult,
  type RunQueryOptions,
} from './logs-insights/interpreter';
export { QueryError } from './logs-insights/query-error';
export type { Query } from './logs-insights/ast';
export type { LogEvent } from './logs-insights/log-event';
export {
  DEFAULT_GROUP_BUDGET_BYTES,
  InMemoryLogStore,
  JsonLinesLogStore,
  UnknownLogGroupError,
  type LogStore,
  type LogGroupSettings,
  type InMemoryLogStoreOptions,
} from './logs-insights/log-store';
export {
  DEFAULT_QUERY_BUDGETS,
  QueryRunner,
  type QueryBudgets,
  type QueryOutcome,
  type QueryRunnerOptions,
} from './logs-insights/query-runner';

// SNS email into an outbox.
export { Outbox, readOutbox, type SentEmail, type OutboxOptions, type OutboxEmail } from './outbox';
export { alarmEmailBody, alarmEmailMessage, type AlarmEmail } from './sns-email';

// The monitor: its server, its JSON API, the links it rewrites, its prebuilt page.
export {
  RequestError,
  decodedName,
  monitorLinkTargets,
  MONITOR_ICON,
  startMonitorServer,
  type MonitorDefinitions,
  type MonitorSources,
  type RequestHandler,
  type MonitorServerOptions,
} from './monitor-server';
export {
  MONITOR_API,
  PAGE_MARKS,
  type ErrorBody,
  type DashboardResponse,
  type MetricDataResponse,
  type AlarmsResponse,
  type AlarmDetailResponse,
  type LogsQueryResponse,
  type ChangeEvent,
} from './monitor-api';
export { metricRows, describeMetric } from './dashboard-body';
export {
  MONITOR_PAGES,
  DEFAULT_LOG_QUERY,
  logsPagePath,
  localLink,
  type SiteUrls,
  type LocalLinkTargets,
} from './local-links';
export { monitorPage, queryWorkerFile, type PageFile, type PageBuild } from './artifacts';

// Canaries on a schedule (the runs are the caller's) and the simulated clock.
export {
  CanaryScheduler,
  type StepResult,
  type CanaryRun,
  type LogLevel,
  type ScheduledCanary,
  type CanaryAttempt,
  type ScheduledRun,
  type ScheduleLag,
  type RunAttempt,
  type FirstRuns,
  type CanarySchedulerOptions,
} from './canary-scheduler';
export {
  MAX_TIME_SCALE,
  MAX_TIMER_MS,
  TIME_SCALE_OPTION,
  SimulatedClock,
  nextMinute,
  type Clock,
} from './clock';

// What AWS would make up for a stack's resources, and the Terraform expressions resolved to them.
// (TerraformResolver gives way to @monitored/terraform-json's reader.)
export {
  LOCAL_ACCOUNT_ID,
  LOCAL_API_ID,
  LOCAL_DISTRIBUTION_ID,
  canaryFunctionName,
  awsUrls,
  localStandIns,
} from './local-ids';

// A loopback HTTP server that answers every request, even one that throws, and stops cleanly.
export {
  RETRY_AFTER_SECONDS,
  STOPPING_HEADERS,
  requestTarget,
  guardedServer,
  ListeningServer,
  type RequestTarget,
  type ErrorAnswer,
  type GuardedServerOptions,
} from './listening-server';
