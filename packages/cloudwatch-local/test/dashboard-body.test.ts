import { LAMBDA, metric, dashboardBody } from '@monitored/cloudwatch-model';
import {
  DashboardBodyError,
  describeMetric,
  metricRows,
  relativeStartSeconds,
} from '../src/dashboard-body';

describe('metricRows: a metric widget read as the body structure defines it', () => {
  it('reads our own widgets back: each row with its stat, label, colour and the widget period and region', () => {
    const fn = { FunctionName: 'msgs-dev-api' };
    const [widget] = dashboardBody([
      {
        type: 'metric',
        title: 'Function',
        region: 'us-west-2',
        period: 300,
        rows: [
          { metric: metric(LAMBDA.invocations, fn), label: 'invocations', color: '#1f77b4' },
          { metric: metric(LAMBDA.duration, fn), stat: 'p99', region: 'us-east-1', yAxis: 'right' },
        ],
        width: 12,
        height: 6,
      },
    ]).widgets;
    expect(metricRows(widget.properties)).toEqual([
      {
        kind: 'metric',
        namespace: 'AWS/Lambda',
        metricName: 'Invocations',
        dimensions: fn,
        stat: 'Sum',
        period: 300,
        region: 'us-west-2',
        label: 'invocations',
        color: '#1f77b4',
        visible: true,
        yAxis: 'left',
      },
      expect.objectContaining({
        metricName: 'Duration',
        stat: 'p99',
        region: 'us-east-1',
        label: 'Duration',
        yAxis: 'right',
      }),
    ]);
  });

  it('repeats the previous row\'s value where a row has "."', () => {
    // The body structure page: `"."` repeats the previous row's namespace/metric/dimension name.
    const rows = metricRows({
      region: 'us-east-1',
      metrics: [
        ['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-012345'],
        ['.', '.', '.', 'i-067890', { stat: 'Maximum', period: 60, visible: false }],
      ],
    });
    expect(rows[1]).toMatchObject({
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      dimensions: { InstanceId: 'i-067890' },
      stat: 'Maximum',
      period: 60,
      visible: false,
    });
    // "By default CloudWatch uses Average", and "The default is 300".
    expect(rows[0]).toMatchObject({ stat: 'Average', period: 300 });
  });

  it('keeps an expression row apart, as something it does not compute', () => {
    expect(metricRows({ metrics: [[{ expression: 'SUM(METRICS())', label: 'total' }]] })).toEqual([
      { kind: 'expression', expression: 'SUM(METRICS())', label: 'total' },
    ]);
  });

  it.each([
    ['metrics that are not a list', { metrics: 'AWS/EC2' }, 'metrics must be an array'],
    [
      'a "." with nothing above it',
      { metrics: [['.', 'CPUUtilization']] },
      /nothing above it to repeat/,
    ],
    [
      'a dimension without its value',
      { metrics: [['AWS/EC2', 'CPUUtilization', 'InstanceId']] },
      /must be \[Namespace, MetricName/,
    ],
  ])('refuses %s, naming the row', (_case, properties, message) => {
    expect(() => metricRows(properties)).toThrow(DashboardBodyError);
    expect(() => metricRows(properties)).toThrow(message);
  });

  it('names a row the way the empty widget lists it', () => {
    expect(
      describeMetric({
        namespace: 'AWS/DynamoDB',
        metricName: 'SuccessfulRequestLatency',
        dimensions: { TableName: 'msgs-dev-messages', Operation: 'GetItem' },
      }),
    ).toBe(
      'AWS/DynamoDB SuccessfulRequestLatency (TableName=msgs-dev-messages, Operation=GetItem)',
    );
  });
});

describe("relativeStartSeconds: the body's start", () => {
  it.each([
    // The body structure page's examples.
    ['-PT5M', 300],
    ['-PT8H', 8 * 3600],
    ['-P3M', 90 * 86_400],
    ['-PT3H', 3 * 3600],
    ['-P1W', 7 * 86_400],
    ['-P1DT12H', 36 * 3600],
  ])('reads %s as %i seconds back', (start, seconds) => {
    expect(relativeStartSeconds(start)).toBe(seconds);
  });

  it.each(['2026-11-28T10:00:00Z', '-P', '-PT', 'PT3H', undefined])(
    'finds no relative start in %p',
    (start) => {
      expect(relativeStartSeconds(start)).toBeUndefined();
    },
  );
});
