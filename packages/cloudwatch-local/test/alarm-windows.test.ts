import { AWS_CATALOGUE } from './aws-catalogue';
import type { MetricAlarmDefinition } from '@monitored/cloudwatch-model';
import {
  alarmMetric,
  evaluationInstant,
  evaluationIntervalSeconds,
  evaluationRange,
} from '../src/alarm-windows';
import { MetricStore } from '../src/metric-store';

const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
const MINUTE = 60_000;
const FUNCTION = { FunctionName: 'msgs-dev-api' };

function alarm(overrides: Partial<MetricAlarmDefinition> = {}): MetricAlarmDefinition {
  return {
    name: 'msgs-dev-api-errors',
    region: 'us-west-2',
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimensions: FUNCTION,
    statistic: 'Sum',
    period: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 0,
    comparisonOperator: 'GreaterThanThreshold',
    alarmActions: [],
    okActions: [],
    insufficientDataActions: [],
    ...overrides,
  };
}

/** One Errors point in each minute m (1-based, as the user guide counts), with the value m. */
function storeWithOnePointPerMinute(minutes: number): MetricStore {
  const store = new MetricStore({ catalogue: AWS_CATALOGUE });
  for (let minute = 1; minute <= minutes; minute += 1) {
    store.put({
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: FUNCTION,
      value: minute,
      unit: 'Count',
      timestamp: T0 + (minute - 1) * MINUTE + 30_000,
    });
  }
  return store;
}

describe('evaluationRange', () => {
  it('at the end of minute 5 uses minutes 1 to 5, at the end of minute 6 minutes 2 to 6 (user guide)', () => {
    const store = storeWithOnePointPerMinute(6);
    const definition = alarm();

    const atMinute5 = evaluationRange(
      store,
      definition,
      T0 + 5 * MINUTE,
      alarmMetric(AWS_CATALOGUE, definition),
    );
    const atMinute6 = evaluationRange(
      store,
      definition,
      T0 + 6 * MINUTE,
      alarmMetric(AWS_CATALOGUE, definition),
    );

    expect(atMinute5.at(-1)).toEqual({ timestamp: T0, value: 1 + 2 + 3 + 4 + 5 });
    expect(atMinute6.at(-1)).toEqual({ timestamp: T0 + MINUTE, value: 2 + 3 + 4 + 5 + 6 });
  });

  it('has Evaluation Periods + 2 windows of one period, oldest first, each stamped with its start', () => {
    const store = storeWithOnePointPerMinute(15);
    const definition = alarm({ evaluationPeriods: 3, datapointsToAlarm: 3 });

    const range = evaluationRange(
      store,
      definition,
      T0 + 15 * MINUTE,
      alarmMetric(AWS_CATALOGUE, definition),
    );

    expect(range).toEqual([
      { timestamp: T0 - 10 * MINUTE, value: undefined },
      { timestamp: T0 - 5 * MINUTE, value: undefined },
      { timestamp: T0, value: 1 + 2 + 3 + 4 + 5 },
      { timestamp: T0 + 5 * MINUTE, value: 6 + 7 + 8 + 9 + 10 },
      { timestamp: T0 + 10 * MINUTE, value: 11 + 12 + 13 + 14 + 15 },
    ]);
  });

  it("computes each window with the alarm's statistic", () => {
    const store = storeWithOnePointPerMinute(5);

    const range = evaluationRange(
      store,
      alarm({ statistic: 'Maximum' }),
      T0 + 5 * MINUTE,
      alarmMetric(AWS_CATALOGUE, alarm({ statistic: 'Maximum' })),
    );

    expect(range.at(-1)?.value).toBe(5);
  });

  it('counts a point stamped exactly at the end of a window in that window, not the next', () => {
    const store = new MetricStore({ catalogue: AWS_CATALOGUE });
    store.put({
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: FUNCTION,
      value: 1,
      unit: 'Count',
      timestamp: T0,
    });

    const endingAtT0 = evaluationRange(
      store,
      alarm({ period: 60 }),
      T0,
      alarmMetric(AWS_CATALOGUE, alarm({ period: 60 })),
    );
    const endingAfter = evaluationRange(
      store,
      alarm({ period: 60 }),
      T0 + MINUTE,
      alarmMetric(AWS_CATALOGUE, alarm({ period: 60 })),
    );

    expect(endingAtT0.at(-1)?.value).toBe(1);
    expect(endingAfter.at(-1)?.value).toBeUndefined();
    expect(endingAfter.at(-2)?.value).toBe(1);
  });

  it('refuses an alarm whose metric is not in the catalogue', () => {
    expect(() => alarmMetric(AWS_CATALOGUE, alarm({ metricName: 'Error' }))).toThrow(
      'metric alarm "msgs-dev-api-errors": metric AWS/Lambda Error with dimensions [FunctionName] is not in the metric catalogue',
    );
  });
});

describe('evaluation schedule', () => {
  it.each([
    [10, 6, 10],
    [30, 2, 10],
    [60, 5, 60],
    [300, 3, 60],
    [3600, 24, 60],
    [3600, 25, 3600],
  ])('period %i s × %i periods is evaluated every %i s', (period, evaluationPeriods, interval) => {
    expect(evaluationIntervalSeconds(alarm({ period, evaluationPeriods }))).toBe(interval);
  });

  it('evaluates on the minute, every 10 s for sub-minute periods, and on the hour for multi-day alarms', () => {
    const now = T0 + 5 * MINUTE + 40_500;

    expect(evaluationInstant(alarm({ period: 300 }), now)).toBe(T0 + 5 * MINUTE);
    expect(evaluationInstant(alarm({ period: 10 }), now)).toBe(T0 + 5 * MINUTE + 40_000);
    expect(evaluationInstant(alarm({ period: 3600, evaluationPeriods: 48 }), now)).toBe(T0);
  });
});
