/**
 * The system log lines Lambda writes around each invocation when the function's log format is
 * JSON: `platform.start` and `platform.report`, at level INFO, so that the default system log
 * level (INFO) keeps them and WARN drops them. Shapes and examples:
 * https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html#platform-report
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html (system logs)
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html
 */

import type { SystemLogLevel } from '../contract/logs';

export type { SystemLogLevel };

export interface PlatformStart {
  readonly time: string;
  readonly type: 'platform.start';
  readonly record: { readonly requestId: string; readonly version: string };
}

export interface ReportMetrics {
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly memorySizeMB: number;
  readonly maxMemoryUsedMB: number;
  /** Only on the first invocation of an execution environment (a cold start). */
  readonly initDurationMs?: number;
}

export interface PlatformReport {
  readonly time: string;
  readonly type: 'platform.report';
  readonly record: {
    readonly requestId: string;
    readonly metrics: ReportMetrics;
    readonly status: 'success' | 'error';
  };
}

export type PlatformLine = PlatformStart | PlatformReport;

/** Whether Lambda writes `platform.start` and `platform.report` at this system log level. */
export function writesInvocationLines(level: SystemLogLevel): boolean {
  return level !== 'WARN';
}

export function platformStart(requestId: string, version: string, at: Date): PlatformStart {
  return { time: at.toISOString(), type: 'platform.start', record: { requestId, version } };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

export interface InvocationMeasures {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memorySizeMB: number;
  readonly maxMemoryUsedMB: number;
  readonly initDurationMs?: number;
  readonly failed: boolean;
}

/**
 * The report of one invocation. Lambda bills by the millisecond, rounded up; since 2025-08-01 an
 * on-demand zip function on a managed runtime is billed for its INIT phase too, so a cold start's
 * billed duration includes the init duration ("AWS Lambda standardizes billing for INIT Phase",
 * AWS Compute Blog, 2025-04-29).
 */
export function platformReport(measures: InvocationMeasures, at: Date): PlatformReport {
  const { requestId, durationMs, memorySizeMB, maxMemoryUsedMB, initDurationMs } = measures;
  return {
    time: at.toISOString(),
    type: 'platform.report',
    record: {
      requestId,
      metrics: {
        durationMs: round3(durationMs),
        billedDurationMs: Math.ceil(durationMs + (initDurationMs ?? 0)),
        memorySizeMB,
        maxMemoryUsedMB,
        ...(initDurationMs !== undefined && { initDurationMs: round3(initDurationMs) }),
      },
      status: measures.failed ? 'error' : 'success',
    },
  };
}

/** Whether a parsed log line is one of these platform lines. */
export function isPlatformLine(entry: unknown): entry is PlatformLine {
  if (typeof entry !== 'object' || entry === null) return false;
  const { type, record } = entry as { type?: unknown; record?: unknown };
  return (
    (type === 'platform.start' || type === 'platform.report') &&
    typeof record === 'object' &&
    record !== null
  );
}
