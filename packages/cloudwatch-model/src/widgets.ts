/**
 * CloudWatch dashboard widgets as small typed values, and the one function that lays them out into
 * a dashboard body. The body's shape is AWS's "Dashboard Body Structure and Syntax"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html);
 * no JSON is written by hand. Values may be Terraform references (tokens): they resolve in the
 * synthesized body. No cdktf imports: the local dashboard preview reads the same types.
 */
import type { MetricRef, Statistic } from './metrics';

/** The dashboard grid: 24 columns. */
export const GRID_COLUMNS = 24;
export const FULL_WIDTH = 24;
export const HALF_WIDTH = 12;
export const THIRD_WIDTH = 8;
export const QUARTER_WIDTH = 6;
/** AWS's default widget height. */
export const DEFAULT_HEIGHT = 6;

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface HorizontalAnnotation {
  readonly value: number;
  readonly label: string;
  readonly color?: string;
}

export interface MetricRow {
  readonly metric: MetricRef;
  /** @default the catalogue's statistic for the metric */
  readonly stat?: Statistic;
  readonly label?: string;
  /** @default the widget's region */
  readonly region?: string;
  readonly color?: string;
  readonly yAxis?: 'left' | 'right';
}

export interface MetricWidgetSpec extends Size {
  readonly type: 'metric';
  readonly title: string;
  readonly region: string;
  readonly rows: readonly MetricRow[];
  /** Seconds, a multiple of 60. */
  readonly period: number;
  /** @default timeSeries */
  readonly view?: 'timeSeries' | 'singleValue';
  readonly stacked?: boolean;
  readonly thresholds?: readonly HorizontalAnnotation[];
  readonly yAxis?: {
    readonly left?: { readonly min?: number; readonly max?: number; readonly label?: string };
  };
}

export interface TextWidgetSpec extends Size {
  readonly type: 'text';
  readonly markdown: string;
}

export interface LogWidgetSpec extends Size {
  readonly type: 'log';
  readonly title: string;
  readonly region: string;
  /** Exact log group names (at most 50). */
  readonly logGroups: readonly string[];
  /** The query's commands, one per line, without the SOURCE part. */
  readonly query: readonly string[];
  /** @default table */
  readonly view?: 'table' | 'timeSeries' | 'bar';
}

export interface AlarmWidgetSpec extends Size {
  readonly type: 'alarm';
  readonly title: string;
  /** 1 to 100 alarm ARNs. */
  readonly alarms: readonly string[];
}

export type WidgetSpec = MetricWidgetSpec | TextWidgetSpec | LogWidgetSpec | AlarmWidgetSpec;

/** A widget as the dashboard body holds it. */
export interface BodyWidget {
  readonly type: WidgetSpec['type'];
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

export interface DashboardBody {
  readonly start: string;
  readonly periodOverride: 'auto' | 'inherit';
  readonly widgets: readonly BodyWidget[];
}

/** A metric row as the body writes it: `[namespace, name, dim, value, …, {rendering}]`. */
function metricArray(row: MetricRow, widget: MetricWidgetSpec): unknown[] {
  const { spec, dimensions } = row.metric;
  const rendering: Record<string, unknown> = { stat: row.stat ?? spec.statistic };
  if (row.label !== undefined) rendering.label = row.label;
  if (row.region !== undefined && row.region !== widget.region) rendering.region = row.region;
  if (row.color !== undefined) rendering.color = row.color;
  if (row.yAxis !== undefined) rendering.yAxis = row.yAxis;
  return [
    spec.namespace,
    spec.name,
    ...spec.dimensions.flatMap((name) => [name, dimensions[name]]),
    rendering,
  ];
}

/** The dashboard form of a Logs Insights query: `SOURCE 'a' | SOURCE 'b' | cmd\n| cmd`. */
export function logWidgetQuery(logGroups: readonly string[], query: readonly string[]): string {
  return `${logGroups.map((group) => `SOURCE '${group}'`).join(' | ')} | ${query.join('\n| ')}`;
}

function properties(widget: WidgetSpec): Record<string, unknown> {
  switch (widget.type) {
    case 'text':
      return { markdown: widget.markdown };
    case 'alarm':
      return { title: widget.title, alarms: [...widget.alarms], sortBy: 'stateUpdatedTimestamp' };
    case 'log':
      return {
        title: widget.title,
        region: widget.region,
        query: logWidgetQuery(widget.logGroups, widget.query),
        view: widget.view ?? 'table',
      };
    case 'metric':
      return {
        title: widget.title,
        region: widget.region,
        view: widget.view ?? 'timeSeries',
        stacked: widget.stacked ?? false,
        period: widget.period,
        metrics: widget.rows.map((row) => metricArray(row, widget)),
        ...(widget.thresholds !== undefined && {
          annotations: { horizontal: widget.thresholds.map((annotation) => ({ ...annotation })) },
        }),
        ...(widget.yAxis !== undefined && { yAxis: widget.yAxis }),
      };
  }
}

/**
 * Lays the widgets out in reading order: left to right, a new row when the next one does not fit
 * in the 24 columns, each row as tall as its tallest widget.
 */
export function dashboardBody(widgets: readonly WidgetSpec[], start = '-PT3H'): DashboardBody {
  const placed: BodyWidget[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const widget of widgets) {
    if (widget.width < 1 || widget.width > GRID_COLUMNS) {
      throw new Error(
        `widget "${'title' in widget ? widget.title : 'text'}" is ${widget.width} columns wide; the grid has ${GRID_COLUMNS}`,
      );
    }
    if (x + widget.width > GRID_COLUMNS) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    placed.push({
      type: widget.type,
      x,
      y,
      width: widget.width,
      height: widget.height,
      properties: properties(widget),
    });
    x += widget.width;
    rowHeight = Math.max(rowHeight, widget.height);
  }
  return { start, periodOverride: 'inherit', widgets: placed };
}
