/**
 * What the monitor server and its page agree on: the JSON endpoints with their request and
 * response shapes, and the marks the page puts in its DOM for tests (and the monitoring loop's
 * tests) to read. Types and constants only, no Node.js imports: the page bundles it.
 */
import type { AlarmDefinition, AlarmState, DashboardBody } from '@monitored/cloudwatch-model';
import type { LocalLinkTargets } from './local-links';

export const MONITOR_API = {
  dashboard: '/api/dashboard',
  metricData: '/api/metric-data',
  alarms: '/api/alarms',
  alarm: (name: string) => `/api/alarms/${encodeURIComponent(name)}`,
  alarmState: (name: string) => `/api/alarms/${encodeURIComponent(name)}/state`,
  logsQuery: '/api/logs-query',
  /** Server-sent events: `change` when metrics or alarms changed. */
  events: '/api/events',
} as const;

/** Every error answer: `{"error": {"code", "message"}}`, the message naming the problem. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/**
 * A time range in simulated time: `lookBackSeconds` back from the monitor's now, or `start` and
 * `end` in milliseconds since the epoch.
 */
export type TimeRangeRequest =
  { readonly lookBackSeconds: number } | { readonly start: number; readonly end: number };

/** The range a response covers, in ms since the epoch (start inclusive, end exclusive). */
export interface ResolvedRange {
  readonly start: number;
  readonly end: number;
}

export interface DashboardResponse {
  readonly name: string;
  readonly stage: string;
  readonly region: string;
  readonly accountId: string;
  /** The body as synthesized for AWS, references resolved to the local stand-ins. */
  readonly body: DashboardBody;
  /** The simulated now, ms since the epoch. */
  readonly now: number;
  /** For the page's links; `monitorUrl` is `''`, the page's own origin. */
  readonly links: LocalLinkTargets;
}

/** One metric with its statistic, period and region: what a row of a graph reads. */
export interface MetricQuery {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** A statistic: SampleCount, Average, Sum, Minimum, Maximum or pNN. */
  readonly stat: string;
  /** Seconds, a multiple of 60. */
  readonly period: number;
  readonly region: string;
}

export interface MetricDataQuery extends MetricQuery {
  /** The caller's name for the row, returned with its data. */
  readonly id: string;
}

export type MetricDataRequest = TimeRangeRequest & { readonly queries: readonly MetricDataQuery[] };

export interface MetricDataResult {
  readonly id: string;
  /** Beginnings of the periods with data, ms since the epoch, oldest first. */
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
  /** Why a row can have no data here (as GetMetricData's Messages): a metric nothing records. */
  readonly messages: readonly string[];
}

export interface MetricDataResponse extends ResolvedRange {
  readonly results: readonly MetricDataResult[];
}

export interface AlarmChange {
  readonly timestamp: number;
  readonly oldState: AlarmState;
  readonly newState: AlarmState;
  readonly reason: string;
  /** A composite's actions for this change were held back, and why ("Actions suppressed by Alarm"). */
  readonly actionsSuppressed?: string;
}

export interface AlarmSummary {
  readonly name: string;
  readonly arn: string;
  readonly type: 'MetricAlarm' | 'CompositeAlarm';
  readonly state: AlarmState;
  readonly reason: string;
  readonly updatedAt: number;
  /** The latest state changes, newest first. */
  readonly recentChanges: readonly AlarmChange[];
}

export interface AlarmsResponse {
  readonly now: number;
  readonly alarms: readonly AlarmSummary[];
}

export interface AlarmDetailResponse {
  readonly now: number;
  readonly alarm: AlarmSummary & {
    readonly definition: AlarmDefinition;
    readonly reasonData: string | undefined;
    /** Every state change, newest first. */
    readonly history: readonly AlarmChange[];
  };
}

/** SetAlarmState's parameters. */
export interface SetAlarmStateRequest {
  readonly state: AlarmState;
  readonly reason: string;
  /** JSON, at most 4000 characters. */
  readonly reasonData?: string;
}

export type LogsQueryRequest = TimeRangeRequest & {
  readonly query: string;
  /** Groups to read when the query names none with SOURCE. */
  readonly logGroups?: readonly string[];
};

export interface LogsQueryResponse extends ResolvedRange {
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, string>[];
  /** The queried groups that dropped lines of this range to stay within their memory budget. */
  readonly dropped?: readonly DroppedLines[];
}

/** A log group that no longer holds every line it was sent: it kept its byte budget, oldest first. */
export interface DroppedLines {
  readonly logGroup: string;
  /** Lines dropped since the start. */
  readonly lines: number;
  /** The newest dropped line's @timestamp: lines before it may be missing. */
  readonly before: number;
  readonly budgetBytes: number;
}

export interface ChangeEvent {
  readonly now: number;
  readonly what: readonly ('metrics' | 'alarms')[];
}

/**
 * The marks on the page. Each widget is a `[data-widget]` element carrying its body position
 * (`data-x`, `data-y`, `data-width`, `data-height`) and type (`data-widget-type`); once drawn it
 * has `data-state="ready"` (or `"error"`). A metric widget whose rows all have no data has
 * `data-empty="true"` and lists its metrics in `[data-empty-metrics]`; one with data has
 * `data-points` (datapoints drawn) and a chart, and each row of its legend (`[data-row-empty]`,
 * in the body's order) has `data-latest`, the newest value drawn. A log widget has `data-rows`, or `data-state="error"`
 * and the message in `[data-error]`. Each alarm in an alarm widget is `[data-alarm="<name>"]` with
 * `data-alarm-state`. The grid's `data-refreshes` counts finished refreshes.
 */
export const PAGE_MARKS = {
  grid: '#dashboard',
  widget: '[data-widget]',
  rangePicker: '#time-range',
  refreshButton: '#refresh',
  status: '#refresh-status',
  emptyMetrics: '[data-empty-metrics]',
  error: '[data-error]',
  annotation: '[data-annotation]',
  // An alarm name is printable ASCII; JSON's quoting is CSS's for it.
  alarm: (name: string) => `[data-alarm=${JSON.stringify(name)}]`,
} as const;
