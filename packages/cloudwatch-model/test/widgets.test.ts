import { LAMBDA, metric } from '../src/metrics';
import { dashboardBody, logWidgetQuery, type WidgetSpec } from '../src/widgets';

const text = (width: number, height = 2): WidgetSpec => ({
  type: 'text',
  markdown: 'x',
  width,
  height,
});

describe('dashboard widgets', () => {
  it('lays widgets out left to right, wrapping to a new row below the tallest of the last', () => {
    const { widgets } = dashboardBody([text(12, 3), text(12, 5), text(8), text(24)]);
    expect(widgets.map(({ x, y, width, height }) => ({ x, y, width, height }))).toEqual([
      { x: 0, y: 0, width: 12, height: 3 },
      { x: 12, y: 0, width: 12, height: 5 },
      { x: 0, y: 5, width: 8, height: 2 },
      { x: 0, y: 7, width: 24, height: 2 },
    ]);
  });

  it('refuses a widget wider than the grid', () => {
    expect(() => dashboardBody([text(25)])).toThrow(/25 columns wide; the grid has 24/);
  });

  it("writes metric rows as AWS's body does: namespace, name, dimension pairs, rendering", () => {
    const { widgets } = dashboardBody([
      {
        type: 'metric',
        title: 'duration',
        region: 'us-west-2',
        period: 300,
        rows: [
          { metric: metric(LAMBDA.duration, { FunctionName: 'f' }), stat: 'p99', label: 'p99' },
          { metric: metric(LAMBDA.errors, { FunctionName: 'f' }), region: 'us-east-1' },
        ],
        thresholds: [{ value: 4000, label: 'slow' }],
        width: 12,
        height: 6,
      },
    ]);
    expect(widgets[0].properties).toEqual({
      title: 'duration',
      region: 'us-west-2',
      view: 'timeSeries',
      stacked: false,
      period: 300,
      metrics: [
        ['AWS/Lambda', 'Duration', 'FunctionName', 'f', { stat: 'p99', label: 'p99' }],
        ['AWS/Lambda', 'Errors', 'FunctionName', 'f', { stat: 'Sum', region: 'us-east-1' }],
      ],
      annotations: { horizontal: [{ value: 4000, label: 'slow' }] },
    });
  });

  it('writes log queries in the dashboard form: SOURCE per group, commands joined by \\n|', () => {
    expect(logWidgetQuery(['a', 'b'], ['fields @message', 'limit 5'])).toBe(
      "SOURCE 'a' | SOURCE 'b' | fields @message\n| limit 5",
    );
  });
});
