/**
 * A time-series chart drawn by uPlot (a small canvas chart library made for time series): the
 * lines of a widget over the chosen range, each with its colour and axis, and the widget's
 * horizontal annotations (alarm thresholds) drawn under them as CloudWatch draws them. Each
 * annotation also gets a DOM label, so that a reader (and a test) can find it.
 */
import uPlot from 'uplot';
import { h } from './dom';
import { number, tickNumber, utcClock } from './format';

export interface ChartLine {
  readonly label: string;
  readonly color: string;
  readonly yAxis: 'left' | 'right';
  /** ms since the epoch, ascending. */
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

export interface ChartAnnotation {
  readonly value: number;
  readonly label: string;
  readonly color?: string;
  readonly fill?: 'above' | 'below' | 'none';
  readonly yAxis?: 'left' | 'right';
}

export interface AxisBounds {
  readonly min?: number;
  readonly max?: number;
  readonly label?: string;
}

export interface ChartSpec {
  readonly lines: readonly ChartLine[];
  /** The range shown, ms since the epoch. */
  readonly start: number;
  readonly end: number;
  readonly annotations: readonly ChartAnnotation[];
  readonly left?: AxisBounds;
  readonly right?: AxisBounds;
}

/** Annotations without a colour: a grey that reads on white and against the lines' colours. */
const ANNOTATION_COLOR = '#5f6b7a';
const AXIS_COLOR = '#374151';
const GRID_COLOR = '#e5e7eb';
/** The tick labels' font, set on each axis and used to measure them. */
const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const TICK_SIZE = 6;
const AXIS_GAP = 4;
/** Room for antialiasing and a glyph's overhang beyond its measured advance. */
const AXIS_SLACK = 3;

let measuring: CanvasRenderingContext2D | undefined;

/** CSS pixels of the widest tick label: a y axis is as wide as its labels, never cutting one. */
function widestLabel(labels: readonly string[]): number {
  // A canvas of its own: setting the font on uPlot's would go behind the font uPlot caches.
  measuring ??= document.createElement('canvas').getContext('2d') ?? undefined;
  if (measuring === undefined) throw new Error('this browser cannot draw on a canvas');
  const context = measuring;
  context.font = AXIS_FONT;
  return labels.reduce((wide, label) => Math.max(wide, context.measureText(label).width), 0);
}

const scaleOf = (axis: 'left' | 'right' | undefined) => (axis === 'right' ? 'y2' : 'y');

/** The lines' points on one x axis (seconds), with nulls where a line has no datapoint. */
function aligned(lines: readonly ChartLine[]): uPlot.AlignedData {
  const times = [...new Set(lines.flatMap((line) => line.timestamps))].sort((a, b) => a - b);
  const index = new Map(times.map((time, i) => [time, i]));
  const columns = lines.map((line) => {
    const column: (number | null)[] = new Array<number | null>(times.length).fill(null);
    line.timestamps.forEach((time, i) => (column[index.get(time) ?? 0] = line.values[i]));
    return column;
  });
  return [times.map((time) => time / 1000), ...columns];
}

function valueRange(
  dataMin: number | null,
  dataMax: number | null,
  annotations: readonly ChartAnnotation[],
  bounds: AxisBounds | undefined,
): uPlot.Range.MinMax {
  const values = [dataMin, dataMax, ...annotations.map((annotation) => annotation.value)].filter(
    (value): value is number => value !== null && Number.isFinite(value),
  );
  const low = values.length === 0 ? 0 : Math.min(...values);
  const high = values.length === 0 ? 1 : Math.max(...values);
  let [min, max] = uPlot.rangeNum(low, high, 0.1, true) as [number, number];
  // Counts, durations and percentages never go below zero: neither should their axis.
  if (low >= 0) min = Math.max(0, min);
  if (bounds?.min !== undefined) min = bounds.min;
  if (bounds?.max !== undefined) max = bounds.max;
  return [min, max];
}

export class TimeSeriesChart {
  private plot: uPlot | undefined;
  private readonly observer: ResizeObserver;
  private readonly labels: HTMLElement[] = [];

  constructor(
    private readonly container: HTMLElement,
    private spec: ChartSpec,
  ) {
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(container);
    this.build();
  }

  /** Redraws with new data (a refresh or another range). */
  update(spec: ChartSpec): void {
    const sameShape =
      spec.lines.length === this.spec.lines.length &&
      spec.lines.every(
        (line, i) =>
          line.label === this.spec.lines[i].label && line.yAxis === this.spec.lines[i].yAxis,
      );
    this.spec = spec;
    if (this.plot !== undefined && sameShape) {
      // Scales re-range from the spec: x to the new range, y to the new data.
      this.plot.setData(aligned(spec.lines), true);
    } else {
      this.build();
    }
  }

  destroy(): void {
    this.observer.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }

  private size(): { width: number; height: number } {
    return {
      width: Math.max(120, Math.floor(this.container.clientWidth)),
      height: Math.max(100, Math.floor(this.container.clientHeight)),
    };
  }

  private resize(): void {
    if (this.plot === undefined) return;
    const { width, height } = this.size();
    if (width !== this.plot.width || height !== this.plot.height)
      this.plot.setSize({ width, height });
  }

  private build(): void {
    this.plot?.destroy();
    this.labels.length = 0;
    const spec = (): ChartSpec => this.spec;
    const hasRight = this.spec.lines.some((line) => line.yAxis === 'right');
    const annotationsOn = (scale: string) =>
      spec().annotations.filter((annotation) => scaleOf(annotation.yAxis) === scale);
    const axis = (scale: 'y' | 'y2', side: 1 | 3, bounds: AxisBounds | undefined): uPlot.Axis => ({
      scale,
      side,
      stroke: AXIS_COLOR,
      font: AXIS_FONT,
      grid: { show: scale === 'y', stroke: GRID_COLOR, width: 1 },
      ticks: { stroke: GRID_COLOR, size: TICK_SIZE },
      gap: AXIS_GAP,
      // uPlot asks once with no values (null, which its types omit) before it has ticks.
      size: (_u, values: readonly string[] | null) =>
        Math.ceil(TICK_SIZE + AXIS_GAP + widestLabel(values ?? []) + AXIS_SLACK),
      ...(bounds?.label !== undefined && { label: bounds.label }),
      values: (_u, splits) => splits.map((split) => tickNumber(split)),
    });
    const options: uPlot.Options = {
      ...this.size(),
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false } },
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
      scales: {
        x: { time: true, range: () => [spec().start / 1000, spec().end / 1000] },
        y: {
          range: (_u, min, max) => valueRange(min, max, annotationsOn('y'), spec().left),
        },
        ...(hasRight && {
          y2: {
            range: (_u, min, max) => valueRange(min, max, annotationsOn('y2'), spec().right),
          },
        }),
      },
      axes: [
        {
          stroke: AXIS_COLOR,
          font: AXIS_FONT,
          grid: { stroke: GRID_COLOR, width: 1 },
          ticks: { stroke: GRID_COLOR },
          values: (_u, splits) => splits.map((split) => utcClock(split * 1000)),
        },
        axis('y', 3, this.spec.left),
        ...(hasRight ? [axis('y2', 1, this.spec.right)] : []),
      ],
      series: [
        {},
        ...this.spec.lines.map((line): uPlot.Series => ({
          label: line.label,
          stroke: line.color,
          width: 1.5,
          scale: scaleOf(line.yAxis),
          spanGaps: true,
          points: { show: true, size: 5, fill: line.color, stroke: line.color },
        })),
      ],
      // Under the lines, as CloudWatch draws them: a line on its threshold stays in sight.
      hooks: { drawAxes: [(u) => this.drawAnnotations(u)] },
    };
    this.plot = new uPlot(options, aligned(this.spec.lines), this.container);
  }

  /** The annotations as thin lines across the plot, with their band shaded. */
  private drawAnnotations(u: uPlot): void {
    for (const label of this.labels) label.remove();
    this.labels.length = 0;
    const { ctx, bbox } = u;
    ctx.save();
    for (const annotation of this.spec.annotations) {
      const scale = scaleOf(annotation.yAxis);
      if (u.scales[scale] === undefined) continue;
      const y = Math.round(u.valToPos(annotation.value, scale, true));
      if (y < bbox.top - 1 || y > bbox.top + bbox.height + 1) continue;
      const color = annotation.color ?? ANNOTATION_COLOR;
      if (annotation.fill === 'above' || annotation.fill === 'below') {
        ctx.globalAlpha = 0.12;
        ctx.fillStyle = color;
        const top = annotation.fill === 'above' ? bbox.top : y;
        const bottom = annotation.fill === 'above' ? y : bbox.top + bbox.height;
        ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
        ctx.globalAlpha = 1;
      }
      ctx.fillStyle = color;
      // Whole pixels: a crisp line of exactly the annotation's colour, one CSS pixel thick.
      ctx.fillRect(bbox.left, y, bbox.width, Math.max(1, Math.round(uPlot.pxRatio)));
      const label = h(
        'span',
        {
          class: 'annotation',
          'data-annotation': annotation.label,
          'data-value': String(annotation.value),
          'data-canvas-y': String(y),
        },
        `${annotation.label} (${number(annotation.value)})`,
      );
      label.style.setProperty('--annotation-y', `${u.valToPos(annotation.value, scale)}px`);
      label.style.setProperty('--annotation-color', color);
      u.over.append(label);
      this.labels.push(label);
    }
    ctx.restore();
  }
}
