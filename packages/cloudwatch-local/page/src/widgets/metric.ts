/**
 * A `metric` widget: its rows as the body states them (stat, period, region, label, colour), drawn
 * as a time series with the widget's horizontal annotations, or as single values when its view
 * says so. A widget whose rows all have no data says so and names each metric, which is how a
 * wrong metric name or dimension shows before a deploy.
 */
import type { BodyWidget } from '@monitored/cloudwatch-model';
import {
  DashboardBodyError,
  describeMetric,
  metricRows,
  type MetricRowSpec,
  type RowSpec,
} from '../../../src/dashboard-body';
import type {
  MetricDataQuery,
  MetricDataResponse,
  MetricDataResult,
} from '../../../src/monitor-api';
import { TimeSeriesChart, type AxisBounds, type ChartAnnotation, type ChartLine } from '../chart';
import { h, setVars } from '../dom';
import { duration, number, utcClock } from '../format';
import { showWidgetError, widgetFrame, type WidgetFrame } from './frame';

/** Ten distinguishable colours (d3's category10) for rows that name none. */
const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function annotationsOf(properties: Record<string, unknown>): ChartAnnotation[] {
  const annotations = properties.annotations;
  if (!isObject(annotations) || !Array.isArray(annotations.horizontal)) return [];
  // A band is a pair [{value, label, …}, {value, label}]: both edges are drawn.
  return annotations.horizontal
    .flatMap((item: unknown) => (Array.isArray(item) ? item : [item]))
    .filter(isObject)
    .filter((item) => typeof item.value === 'number' && item.visible !== false)
    .map((item) => ({
      value: item.value as number,
      label: typeof item.label === 'string' ? item.label : String(item.value),
      ...(typeof item.color === 'string' && { color: item.color }),
      ...((item.fill === 'above' || item.fill === 'below') && { fill: item.fill }),
      yAxis: item.yAxis === 'right' ? 'right' : 'left',
    }));
}

function axisBounds(
  properties: Record<string, unknown>,
  side: 'left' | 'right',
): AxisBounds | undefined {
  const yAxis = properties.yAxis;
  if (!isObject(yAxis) || !isObject(yAxis[side])) return undefined;
  const axis = yAxis[side];
  return {
    ...(typeof axis.min === 'number' && { min: axis.min }),
    ...(typeof axis.max === 'number' && { max: axis.max }),
    ...(typeof axis.label === 'string' && { label: axis.label }),
  };
}

interface DrawnRow {
  readonly row: MetricRowSpec;
  readonly id: string;
  readonly color: string;
}

export class MetricWidget {
  readonly frame: WidgetFrame;
  private readonly rows: readonly DrawnRow[] = [];
  private readonly expressions: readonly RowSpec[] = [];
  private readonly view: string;
  private readonly annotations: readonly ChartAnnotation[];
  private readonly left: AxisBounds | undefined;
  private readonly right: AxisBounds | undefined;
  private chart: TimeSeriesChart | undefined;

  /** `stageRegion`: rows elsewhere (CloudFront's us-east-1) say where they read. */
  constructor(
    widget: BodyWidget,
    index: number,
    private readonly stageRegion: string,
  ) {
    const properties = widget.properties;
    this.frame = widgetFrame(
      widget,
      index,
      typeof properties.title === 'string' ? properties.title : 'Metrics',
    );
    this.view = typeof properties.view === 'string' ? properties.view : 'timeSeries';
    this.annotations = annotationsOf(properties);
    this.left = axisBounds(properties, 'left');
    this.right = axisBounds(properties, 'right');
    let specs: RowSpec[];
    try {
      specs = metricRows(properties);
    } catch (error: unknown) {
      if (!(error instanceof DashboardBodyError)) throw error;
      showWidgetError(this.frame, `This widget's metrics cannot be read: ${error.message}`);
      return;
    }
    this.rows = specs.flatMap((row, i): DrawnRow[] =>
      row.kind === 'metric' && row.visible
        ? [{ row, id: `w${index}r${i}`, color: row.color ?? PALETTE[i % PALETTE.length] }]
        : [],
    );
    this.expressions = specs.filter((row) => row.kind === 'expression');
    if (this.rows.length === 0) {
      showWidgetError(
        this.frame,
        this.expressions.length > 0
          ? 'This widget has only metric math or search expressions, which the local preview does not compute.'
          : 'This widget has no metrics.',
      );
    }
  }

  get element(): HTMLElement {
    return this.frame.element;
  }

  queries(): MetricDataQuery[] {
    return this.rows.map(({ row, id }) => ({
      id,
      namespace: row.namespace,
      metricName: row.metricName,
      dimensions: row.dimensions,
      stat: row.stat,
      period: row.period,
      region: row.region,
    }));
  }

  show(response: MetricDataResponse, lookBackSeconds: number): void {
    if (this.rows.length === 0) return;
    const byId = new Map(response.results.map((result) => [result.id, result]));
    const results = this.rows.map(({ id }) => byId.get(id));
    const points = results.reduce((sum, result) => sum + (result?.timestamps.length ?? 0), 0);
    const element = this.frame.element;
    element.dataset.state = 'ready';
    element.dataset.empty = String(points === 0);
    element.dataset.points = String(points);
    element.dataset.start = String(response.start);
    element.dataset.end = String(response.end);
    if (points === 0) {
      this.chart?.destroy();
      this.chart = undefined;
      this.frame.content.replaceChildren(this.emptyNotice(results, lookBackSeconds));
      return;
    }
    if (this.view === 'singleValue') {
      this.frame.content.replaceChildren(this.singleValues(results));
      return;
    }
    const lines: ChartLine[] = this.rows.flatMap(({ row, color }, i) => {
      const result = results[i];
      return result === undefined || result.timestamps.length === 0
        ? []
        : [
            {
              label: row.label,
              color,
              yAxis: row.yAxis,
              timestamps: result.timestamps,
              values: result.values,
            },
          ];
    });
    const spec = {
      lines,
      start: response.start,
      end: response.end,
      annotations: this.annotations,
      left: this.left,
      right: this.right,
    };
    if (this.chart === undefined) {
      const plot = h('figure', {
        class: 'chart',
        role: 'img',
        'aria-label': this.summary(lines),
      });
      this.frame.content.replaceChildren(plot, this.legend(results));
      this.chart = new TimeSeriesChart(plot, spec);
    } else {
      this.frame.content
        .querySelector('figure.chart')
        ?.setAttribute('aria-label', this.summary(lines));
      this.frame.content.querySelector('.legend')?.replaceWith(this.legend(results));
      this.chart.update(spec);
    }
  }

  private summary(lines: readonly ChartLine[]): string {
    const thresholds = this.annotations.map((a) => `${a.label} at ${number(a.value)}`);
    return `Time series of ${lines.map((line) => line.label).join(', ')}${thresholds.length > 0 ? `; lines for ${thresholds.join(', ')}` : ''}`;
  }

  /** Each row with its colour, label, stat, period and region, and whether it has data. */
  private legend(results: readonly (MetricDataResult | undefined)[]): HTMLElement {
    const list = h('ul', { class: 'legend' });
    this.rows.forEach(({ row, color }, i) => {
      const result = results[i];
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      setVars(swatch, { '--swatch': color });
      const details = [
        row.stat,
        duration(row.period),
        row.region !== this.stageRegion ? row.region : undefined,
      ]
        .filter((part) => part !== undefined)
        .join(' · ');
      const missing = result === undefined || result.timestamps.length === 0;
      list.append(
        h(
          'li',
          {
            'data-row-empty': String(missing),
            // The newest datapoint drawn, for whoever reads the page without its canvas.
            'data-latest':
              result === undefined || missing
                ? undefined
                : String(result.values[result.values.length - 1]),
            title: describeMetric(row),
          },
          swatch,
          h('span', { class: 'legend-label' }, row.label),
          h('span', { class: 'legend-details' }, ` ${details}`),
          missing && h('span', { class: 'legend-missing' }, ` — no data${messageText(result)}`),
        ),
      );
    });
    for (const expression of this.expressions) {
      list.append(
        h(
          'li',
          { class: 'legend-skipped' },
          `${expression.label}: metric math, not computed locally`,
        ),
      );
    }
    return list;
  }

  private emptyNotice(
    results: readonly (MetricDataResult | undefined)[],
    lookBackSeconds: number,
  ): HTMLElement {
    return h(
      'div',
      { class: 'empty', 'data-empty-metrics': '' },
      h('p', {}, `No data in the last ${duration(lookBackSeconds)} for:`),
      h(
        'ul',
        {},
        ...this.rows.map(({ row }, i) =>
          h(
            'li',
            { 'data-metric': describeMetric(row) },
            `${describeMetric(row)} · ${row.stat} · ${duration(row.period)}${row.region !== this.stageRegion ? ` · ${row.region}` : ''}${messageText(results[i])}`,
          ),
        ),
      ),
    );
  }

  private singleValues(results: readonly (MetricDataResult | undefined)[]): HTMLElement {
    return h(
      'dl',
      { class: 'single-values' },
      ...this.rows.flatMap(({ row, color }, i) => {
        const result = results[i];
        const last = result === undefined ? -1 : result.values.length - 1;
        const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
        setVars(swatch, { '--swatch': color });
        return [
          h('dt', { title: describeMetric(row) }, swatch, row.label),
          h(
            'dd',
            { 'data-row-empty': String(last < 0) },
            result !== undefined && last >= 0
              ? h('span', { class: 'single-value' }, number(result.values[last]))
              : `no data${messageText(result)}`,
            result !== undefined && last >= 0
              ? h(
                  'span',
                  { class: 'single-value-time' },
                  ` at ${utcClock(result.timestamps[last])} UTC`,
                )
              : undefined,
          ),
        ];
      }),
    );
  }
}

function messageText(result: MetricDataResult | undefined): string {
  return result === undefined || result.messages.length === 0
    ? ''
    : ` (${result.messages.join('; ')})`;
}
