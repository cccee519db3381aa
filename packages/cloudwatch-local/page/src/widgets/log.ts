/**
 * A `log` widget: its Logs Insights query (with its SOURCE log groups) run by the monitor over the
 * local logs for the chosen range, as a table, or as a chart for a `timeSeries` view of
 * `stats … by bin()`. A query the interpreter refuses shows its message in the widget.
 */
import type { BodyWidget } from '@monitored/cloudwatch-model';
import {
  MONITOR_API,
  type LogsQueryRequest,
  type LogsQueryResponse,
  type TimeRangeRequest,
} from '../../../src/monitor-api';
import { describeError, postJson } from '../api';
import { TimeSeriesChart, type ChartLine } from '../chart';
import { h } from '../dom';
import { resultsTable } from '../table';
import { showWidgetError, widgetFrame, type WidgetFrame } from './frame';

const LINE_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];

/** Logs Insights' timestamps: `2024-05-19 06:10:35.743`, UTC. */
function parseTimestamp(text: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(text);
  return match === null ? undefined : Date.parse(`${match[1]}T${match[2]}Z`);
}

/** A `by bin(…)` result as lines: one per numeric column, over the bin column's times. */
function binLines(result: LogsQueryResponse): ChartLine[] | undefined {
  const bin = result.columns.find((column) => /^bin\(/.test(column));
  if (bin === undefined) return undefined;
  const times = result.rows.map((row) => parseTimestamp(row[bin] ?? ''));
  if (times.some((time) => time === undefined)) return undefined;
  const order = times.map((time, i) => [time as number, i] as const).sort((a, b) => a[0] - b[0]);
  return result.columns
    .filter((column) => column !== bin)
    .map((column, i) => ({
      label: column,
      color: LINE_COLORS[i % LINE_COLORS.length],
      yAxis: 'left' as const,
      timestamps: order.map(([time]) => time),
      values: order.map(([, row]) => Number(result.rows[row][column])),
    }))
    .filter((line) => line.values.every((value) => Number.isFinite(value)));
}

export class LogWidget {
  readonly frame: WidgetFrame;
  private readonly query: string;
  private readonly view: string;
  private readonly title: string;
  private chart: TimeSeriesChart | undefined;

  constructor(widget: BodyWidget, index: number) {
    const { properties } = widget;
    this.title = typeof properties.title === 'string' ? properties.title : 'Logs';
    this.frame = widgetFrame(widget, index, this.title);
    this.query = typeof properties.query === 'string' ? properties.query : '';
    this.view = typeof properties.view === 'string' ? properties.view : 'table';
  }

  get element(): HTMLElement {
    return this.frame.element;
  }

  async refresh(range: TimeRangeRequest): Promise<void> {
    let result: LogsQueryResponse;
    try {
      const request: LogsQueryRequest = { ...range, query: this.query };
      result = await postJson<LogsQueryResponse>(MONITOR_API.logsQuery, request);
    } catch (error: unknown) {
      this.chart?.destroy();
      this.chart = undefined;
      showWidgetError(this.frame, `The query failed: ${describeError(error)}`);
      return;
    }
    const element = this.frame.element;
    element.dataset.state = 'ready';
    element.dataset.rows = String(result.rows.length);
    element.dataset.empty = String(result.rows.length === 0);
    if (result.rows.length === 0) {
      this.chart?.destroy();
      this.chart = undefined;
      this.frame.content.replaceChildren(
        h('p', { class: 'empty' }, 'No log events matched in this range.'),
      );
      return;
    }
    const lines = this.view === 'timeSeries' ? binLines(result) : undefined;
    if (lines === undefined || lines.length === 0) {
      this.chart?.destroy();
      this.chart = undefined;
      this.frame.content.replaceChildren(
        resultsTable(result.columns, result.rows, `${this.title}: results`),
      );
      return;
    }
    const spec = { lines, start: result.start, end: result.end, annotations: [] };
    if (this.chart === undefined) {
      const plot = h('figure', {
        class: 'chart',
        role: 'img',
        'aria-label': `Time series of ${lines.map((line) => line.label).join(', ')}`,
      });
      this.frame.content.replaceChildren(plot);
      this.chart = new TimeSeriesChart(plot, spec);
    } else {
      this.chart.update(spec);
    }
  }
}
