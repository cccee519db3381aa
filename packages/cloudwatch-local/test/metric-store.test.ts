import { AWS_CATALOGUE } from './aws-catalogue';
import { DYNAMODB, LAMBDA } from '@monitored/cloudwatch-model';
import { MetricStore, type MetricDatum } from '../src/metric-store';

const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
const MINUTE = 60_000;
const FUNCTION = { FunctionName: 'msgs-dev-api' };

function errors(
  value: number,
  timestamp: number,
  dimensions: Record<string, string> = FUNCTION,
): MetricDatum {
  return {
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimensions,
    value,
    unit: 'Count',
    timestamp,
  };
}

describe('MetricStore.put', () => {
  it('refuses a metric that is not in the catalogue, naming namespace, name and dimensions', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });

    const put = () =>
      store.put({
        ...errors(1, T0),
        metricName: 'Erors',
        dimensions: { FunctionName: 'f', Resource: 'r' },
      });

    expect(put).toThrow(
      'metric AWS/Lambda Erors with dimensions [FunctionName, Resource] is not in the metric catalogue',
    );
    expect(store.size).toBe(0);
  });

  it('refuses a catalogue metric with other dimension names', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });

    expect(() => store.put(errors(1, T0, {}))).toThrow(
      'metric AWS/Lambda Errors with dimensions [] is not in the metric catalogue',
    );
    expect(() => store.put(errors(1, T0, { FunctionName: 'f', ExecutedVersion: '1' }))).toThrow(
      'with dimensions [ExecutedVersion, FunctionName] is not in the metric catalogue',
    );
  });

  it("refuses a unit other than the catalogue's", () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });

    expect(() => store.put({ ...errors(1, T0), unit: 'Percent' })).toThrow(
      'metric AWS/Lambda Errors with dimensions [FunctionName]: unit "Percent" is not the catalogue\'s "Count"',
    );
  });

  it('refuses a value that is not a finite number and an empty dimension value', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });

    expect(() => store.put(errors(Number.NaN, T0))).toThrow(
      'value must be a finite number, got NaN',
    );
    expect(() => store.put(errors(1, T0, { FunctionName: '' }))).toThrow(
      'dimension FunctionName must have a value',
    );
  });

  it('tells subscribers of each point until they unsubscribe', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });
    const seen: number[] = [];
    const unsubscribe = store.subscribe((datum) => seen.push(datum.value));

    store.put(errors(1, T0));
    unsubscribe();
    store.put(errors(2, T0 + 1));

    expect(seen).toEqual([1]);
  });
});

describe('MetricStore.datapoints', () => {
  it('aggregates per period aligned to the epoch, stamped with the beginning of the period', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });
    store.put(errors(1, T0 + 10_000));
    store.put(errors(2, T0 + 4 * MINUTE + 59_999));
    store.put(errors(4, T0 + 5 * MINUTE));

    const points = store.datapoints(
      LAMBDA.errors,
      FUNCTION,
      'Sum',
      300,
      T0 - 5 * MINUTE,
      T0 + 10 * MINUTE,
    );

    expect(points).toEqual([
      { timestamp: T0, value: 3 },
      { timestamp: T0 + 5 * MINUTE, value: 4 },
    ]);
  });

  it('leaves out periods without data', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });
    store.put(errors(1, T0));
    store.put(errors(1, T0 + 3 * MINUTE));

    const points = store.datapoints(
      LAMBDA.errors,
      FUNCTION,
      'SampleCount',
      60,
      T0,
      T0 + 5 * MINUTE,
    );

    expect(points.map((point) => point.timestamp)).toEqual([T0, T0 + 3 * MINUTE]);
  });

  it('includes start and excludes end', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });
    store.put(errors(1, T0));
    store.put(errors(1, T0 + MINUTE));

    const points = store.datapoints(LAMBDA.errors, FUNCTION, 'Sum', 60, T0, T0 + MINUTE);

    expect(points).toEqual([{ timestamp: T0, value: 1 }]);
  });

  it('places a point that arrives late in its own period', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });
    store.put(errors(5, T0 + 2 * MINUTE));
    store.put(errors(7, T0 + 10_000));

    const points = store.datapoints(LAMBDA.errors, FUNCTION, 'Maximum', 60, T0, T0 + 3 * MINUTE);

    expect(points).toEqual([
      { timestamp: T0, value: 7 },
      { timestamp: T0 + 2 * MINUTE, value: 5 },
    ]);
  });

  it('keeps a series per dimension value, in any dimension order', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });
    const getItem = { TableName: 't', Operation: 'GetItem' };
    store.put({
      namespace: 'AWS/DynamoDB',
      metricName: 'SuccessfulRequestLatency',
      dimensions: getItem,
      value: 4,
      unit: 'Milliseconds',
      timestamp: T0,
    });
    store.put({
      namespace: 'AWS/DynamoDB',
      metricName: 'SuccessfulRequestLatency',
      dimensions: { Operation: 'TransactWriteItems', TableName: 't' },
      value: 9,
      unit: 'Milliseconds',
      timestamp: T0,
    });

    const points = store.datapoints(
      DYNAMODB.successfulRequestLatency,
      { Operation: 'GetItem', TableName: 't' },
      'Average',
      60,
      T0,
      T0 + MINUTE,
    );

    expect(points).toEqual([{ timestamp: T0, value: 4 }]);
  });

  it('refuses a query with other dimension names, a bad period or statistic', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });

    expect(() => store.datapoints(LAMBDA.errors, {}, 'Sum', 60, T0, T0 + MINUTE)).toThrow(
      'metric AWS/Lambda Errors has dimensions [FunctionName], the query gave []',
    );
    expect(() => store.datapoints(LAMBDA.errors, FUNCTION, 'Sum', 0, T0, T0 + MINUTE)).toThrow(
      'period must be a positive',
    );
    expect(() => store.datapoints(LAMBDA.errors, FUNCTION, 'p101', 60, T0, T0 + MINUTE)).toThrow(
      'unknown statistic "p101"',
    );
  });
});

describe('MetricStore.window', () => {
  it('covers from < t ≤ to', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });
    store.put(errors(1, T0));
    store.put(errors(10, T0 + MINUTE));

    expect(store.window(LAMBDA.errors, FUNCTION, 'Sum', T0, T0 + MINUTE)).toBe(10);
    expect(store.window(LAMBDA.errors, FUNCTION, 'Sum', T0 - MINUTE, T0)).toBe(1);
  });

  it('is undefined when the window has no point', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });
    store.put(errors(1, T0));

    expect(store.window(LAMBDA.errors, FUNCTION, 'Sum', T0, T0 + MINUTE)).toBeUndefined();
    expect(
      store.window(LAMBDA.errors, { FunctionName: 'other' }, 'Sum', T0 - MINUTE, T0),
    ).toBeUndefined();
  });
});

describe('MetricStore retention', () => {
  it('drops points older than the retention, counted back from the newest point', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE, retentionMs: 10 * MINUTE });
    store.put(errors(1, T0));
    store.put(errors(2, T0 + 5 * MINUTE));

    store.put(errors(3, T0 + 12 * MINUTE));

    expect(store.size).toBe(2);
    expect(store.window(LAMBDA.errors, FUNCTION, 'Sum', T0 - MINUTE, T0)).toBeUndefined();
    expect(store.window(LAMBDA.errors, FUNCTION, 'Sum', T0, T0 + 12 * MINUTE)).toBe(5);
  });

  it('keeps two days by default', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });
    store.put(errors(1, T0));

    store.put(errors(1, T0 + 48 * 60 * MINUTE));
    const keptAtTwoDays = store.size;
    store.put(errors(1, T0 + 48 * 60 * MINUTE + 1));

    expect(keptAtTwoDays).toBe(2);
    expect(store.size).toBe(2);
    expect(store.window(LAMBDA.errors, FUNCTION, 'Sum', T0 - MINUTE, T0)).toBeUndefined();
  });
});

describe('MetricStore: what it keeps under a flood (issue 21, finding 5)', () => {
  it('keeps at most its budget of points per series, the newest, and counts what it dropped', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE, maxPointsPerSeries: 1000 });
    for (let i = 0; i < 5000; i += 1) store.put(errors(i % 2, T0 + i));

    expect(store.size).toBe(1000);
    expect(store.droppedPoints).toBe(4000);
    expect(store.window(LAMBDA.errors, FUNCTION, 'SampleCount', T0 + 3999, T0 + 5000)).toBe(1000);
    expect(store.window(LAMBDA.errors, FUNCTION, 'SampleCount', T0 - 1, T0 + 3999)).toBeUndefined();
  });
});
