import type {
  AlarmState,
  ComparisonOperator,
  MetricAlarmDefinition,
  TreatMissingData,
} from '@monitored/cloudwatch-model';
import {
  effectiveTreatMissingData,
  evaluateMetricAlarm,
  evaluationRangeLength,
  type RangeDatapoint,
} from '../src/alarm-evaluator';

/** 28/11/26 10:00:00 UTC, the oldest datapoint of every range below. */
const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
const FIVE_MINUTES = 300_000;
const THRESHOLD = 100;
/** A breaching value (X) and a non-breaching one (0) for GreaterThanThreshold 100. */
const X = 150;

function alarm(overrides: Partial<MetricAlarmDefinition> = {}): MetricAlarmDefinition {
  return {
    name: 'msgs-dev-api-5xx',
    region: 'us-west-2',
    namespace: 'AWS/ApiGateway',
    metricName: '5xx',
    dimensions: { ApiId: 'local', Stage: '$default' },
    statistic: 'Sum',
    period: 300,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    threshold: THRESHOLD,
    comparisonOperator: 'GreaterThanThreshold',
    alarmActions: [],
    okActions: [],
    insufficientDataActions: [],
    ...overrides,
  };
}

/** The user guide's notation, oldest first: `0` not breaching, `X` breaching, `-` missing. */
function range(pattern: string, start = T0, periodMs = FIVE_MINUTES): RangeDatapoint[] {
  return pattern.split(' ').map((symbol, index) => ({
    timestamp: start + index * periodMs,
    value: symbol === '-' ? undefined : symbol === 'X' ? X : 0,
  }));
}

const KEEP = 'Retain current state';
type Expected = AlarmState | typeof KEEP;
const TREATMENTS: readonly TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
const STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

/** One row of a table: datapoints, the column "# to fill", then MISSING, IGNORE, BREACHING, NOT BREACHING. */
type Row = readonly [string, number, Expected, Expected, Expected, Expected];

function cases(rows: readonly Row[]) {
  return rows.flatMap(([pattern, toFill, ...results]) =>
    TREATMENTS.flatMap((treatment, column) =>
      STATES.map((current) => ({
        pattern,
        toFill,
        treatment,
        current,
        expected: results[column] === KEEP ? current : results[column],
      })),
    ),
  );
}

describe('the user guide table for 3 of 3 (Datapoints to Alarm 3, Evaluation Periods 3, range 5)', () => {
  const rows: readonly Row[] = [
    ['0 - X - X', 0, 'OK', 'OK', 'OK', 'OK'],
    ['0 - - - -', 2, 'OK', 'OK', 'OK', 'OK'],
    ['- - - - -', 3, 'INSUFFICIENT_DATA', KEEP, 'ALARM', 'OK'],
    ['0 X X - X', 0, 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['- - X - -', 2, 'ALARM', KEEP, 'ALARM', 'OK'],
  ];

  it.each(cases(rows))(
    '$pattern treated as $treatment, from $current: $expected',
    ({ pattern, treatment, current, expected }) => {
      const definition = alarm({ treatMissingData: treatment });

      const result = evaluateMetricAlarm(definition, range(pattern), current, T0);

      expect(result.state).toBe(expected);
    },
  );

  it.each(
    rows.flatMap(([pattern, toFill]) => [
      ['breaching', pattern, toFill] as const,
      ['notBreaching', pattern, toFill] as const,
    ]),
  )(
    'treated as %s, %s fills exactly the datapoints of the column "# to fill" (%i)',
    (treatment, pattern, toFill) => {
      const definition = alarm({ treatMissingData: treatment });

      const result = evaluateMetricAlarm(definition, range(pattern), 'OK', T0);

      expect(result.evaluated.filter((point) => point.value === undefined)).toHaveLength(toFill);
      expect(result.evaluated).toHaveLength(3);
    },
  );

  it('row 2 treated as breaching goes to ALARM at the next evaluation, once the 0 has left the range', () => {
    const definition = alarm({ treatMissingData: 'breaching' });
    const first = evaluateMetricAlarm(definition, range('0 - - - -'), 'OK', T0);

    const next = evaluateMetricAlarm(
      definition,
      range('- - - - -', T0 + FIVE_MINUTES),
      first.state,
      T0,
    );

    expect(first.state).toBe('OK');
    expect(next.state).toBe('ALARM');
  });

  it('row 4 evaluates the three most recent real datapoints and ignores the missing one', () => {
    const definition = alarm({ treatMissingData: 'notBreaching' });

    const result = evaluateMetricAlarm(definition, range('0 X X - X'), 'OK', T0);

    expect(result.evaluated.map((point) => point.timestamp)).toEqual([
      T0 + FIVE_MINUTES,
      T0 + 2 * FIVE_MINUTES,
      T0 + 4 * FIVE_MINUTES,
    ]);
    expect(result.outcome).toBe('threshold');
  });
});

describe('the user guide table for 2 of 3 (Datapoints to Alarm 2, Evaluation Periods 3, range 5)', () => {
  const rows: readonly Row[] = [
    ['0 - X - X', 0, 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['0 0 X 0 X', 0, 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['0 - X - -', 1, 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - - 0', 2, 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - X -', 2, 'ALARM', KEEP, 'ALARM', 'OK'],
  ];

  it.each(cases(rows))(
    '$pattern treated as $treatment, from $current: $expected',
    ({ pattern, treatment, current, expected }) => {
      const definition = alarm({ datapointsToAlarm: 2, treatMissingData: treatment });

      const result = evaluateMetricAlarm(definition, range(pattern), current, T0);

      expect(result.state).toBe(expected);
    },
  );

  it.each(
    rows.flatMap(([pattern, toFill]) => [
      ['breaching', pattern, toFill] as const,
      ['notBreaching', pattern, toFill] as const,
    ]),
  )(
    'treated as %s, %s fills exactly the datapoints of the column "# of missing data points" (%i)',
    (treatment, pattern, toFill) => {
      const definition = alarm({ datapointsToAlarm: 2, treatMissingData: treatment });

      const result = evaluateMetricAlarm(definition, range(pattern), 'OK', T0);

      expect(result.evaluated.filter((point) => point.value === undefined)).toHaveLength(toFill);
    },
  );

  it('row 2 ignores the two oldest datapoints, none of the three most recent being missing', () => {
    const definition = alarm({ datapointsToAlarm: 2 });

    const result = evaluateMetricAlarm(definition, range('0 0 X 0 X'), 'OK', T0);

    expect(result.evaluated.map((point) => point.timestamp)).toEqual([
      T0 + 2 * FIVE_MINUTES,
      T0 + 3 * FIVE_MINUTES,
      T0 + 4 * FIVE_MINUTES,
    ]);
  });

  it('rows 3 and 4 treated as breaching fill the most recent missing datapoints', () => {
    const definition = alarm({ datapointsToAlarm: 2, treatMissingData: 'breaching' });

    const row3 = evaluateMetricAlarm(definition, range('0 - X - -'), 'OK', T0);
    const row4 = evaluateMetricAlarm(definition, range('- - - - 0'), 'OK', T0);

    const filled = (points: typeof row3.evaluated) =>
      points.filter((point) => point.value === undefined).map((point) => point.timestamp);
    expect(filled(row3.evaluated)).toEqual([T0 + 4 * FIVE_MINUTES]);
    expect(filled(row4.evaluated)).toEqual([T0 + 2 * FIVE_MINUTES, T0 + 3 * FIVE_MINUTES]);
    expect(row4.evaluated.filter((point) => point.breaching)).toHaveLength(2);
  });
});

describe('avoiding premature transitions to alarm state (missing data treated as missing)', () => {
  it.each(['- - - - X', '- - - X -'])('3 of 3 does not go to ALARM on %s', (pattern) => {
    const definition = alarm({ treatMissingData: 'missing' });

    const fromOk = evaluateMetricAlarm(definition, range(pattern), 'OK', T0);
    const fromNew = evaluateMetricAlarm(definition, range(pattern), 'INSUFFICIENT_DATA', T0);

    expect(fromOk.state).toBe('OK');
    expect(fromNew.state).toBe('INSUFFICIENT_DATA');
    expect(fromOk.outcome).toBe('kept');
  });

  it('3 of 3 goes to ALARM on - - X - -: the oldest breaching datapoint is 3 periods old', () => {
    const definition = alarm({ treatMissingData: 'missing' });

    const result = evaluateMetricAlarm(definition, range('- - X - -'), 'OK', T0);

    expect(result.state).toBe('ALARM');
    expect(result.outcome).toBe('premature');
  });

  it.each(['X - - - -', '- X - - -'])(
    '3 of 3 does not go to ALARM on %s: the breaching datapoint is older than the 3 evaluation periods',
    (pattern) => {
      const definition = alarm({ treatMissingData: 'missing' });

      const fromOk = evaluateMetricAlarm(definition, range(pattern), 'OK', T0);

      expect([fromOk.state, fromOk.outcome]).toEqual(['OK', 'kept']);
    },
  );

  it.each(['- - - X 0', '- - X - 0'])(
    'the next datapoint not breaching (%s) gives OK',
    (pattern) => {
      const definition = alarm({ treatMissingData: 'missing' });

      const result = evaluateMetricAlarm(definition, range(pattern), 'OK', T0);

      expect(result.state).toBe('OK');
    },
  );

  it('2 of 3 goes to ALARM once the oldest breaching datapoint is 2 periods old, not before', () => {
    const definition = alarm({ datapointsToAlarm: 2, treatMissingData: 'missing' });

    const young = evaluateMetricAlarm(definition, range('- - - - X'), 'OK', T0);
    const old = evaluateMetricAlarm(definition, range('- - - X -'), 'OK', T0);

    expect(young.state).toBe('OK');
    expect(old.state).toBe('ALARM');
  });

  it('does not apply to missing data treated as ignore', () => {
    const definition = alarm({ treatMissingData: 'ignore' });

    const result = evaluateMetricAlarm(definition, range('- - X - -'), 'OK', T0);

    expect(result.state).toBe('OK');
  });
});

describe('comparison operators', () => {
  it.each([
    ['GreaterThanThreshold', 100, 'OK'],
    ['GreaterThanThreshold', 100.5, 'ALARM'],
    ['GreaterThanOrEqualToThreshold', 100, 'ALARM'],
    ['GreaterThanOrEqualToThreshold', 99.5, 'OK'],
    ['LessThanThreshold', 100, 'OK'],
    ['LessThanThreshold', 99.5, 'ALARM'],
    ['LessThanOrEqualToThreshold', 100, 'ALARM'],
    ['LessThanOrEqualToThreshold', 100.5, 'OK'],
  ] as const)('%s with the value %d gives %s', (operator: ComparisonOperator, value, expected) => {
    const definition = alarm({
      comparisonOperator: operator,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });

    const result = evaluateMetricAlarm(
      definition,
      [{ timestamp: T0, value }],
      'INSUFFICIENT_DATA',
      T0,
    );

    expect(result.state).toBe(expected);
  });
});

describe('missing data treatment for AWS/DynamoDB metrics', () => {
  const dynamodb = (treatMissingData?: TreatMissingData) =>
    alarm({
      namespace: 'AWS/DynamoDB',
      metricName: 'SystemErrors',
      dimensions: { TableName: 'msgs-dev-messages', Operation: 'GetItem' },
      treatMissingData,
    });

  it('defaults to ignore when no treatment is set: the state is kept without data', () => {
    const result = evaluateMetricAlarm(dynamodb(), range('- - - - -'), 'ALARM', T0);

    expect(effectiveTreatMissingData(dynamodb())).toBe('ignore');
    expect(result.state).toBe('ALARM');
  });

  it('follows a treatment that is set (current text: "You can override this")', () => {
    const missing = evaluateMetricAlarm(dynamodb('missing'), range('- - - - -'), 'ALARM', T0);
    const breaching = evaluateMetricAlarm(dynamodb('breaching'), range('- - - - -'), 'OK', T0);

    expect(missing.state).toBe('INSUFFICIENT_DATA');
    expect(breaching.state).toBe('ALARM');
  });

  it('is missing by default for other namespaces', () => {
    expect(effectiveTreatMissingData(alarm())).toBe('missing');
    expect(evaluateMetricAlarm(alarm(), range('- - - - -'), 'ALARM', T0).state).toBe(
      'INSUFFICIENT_DATA',
    );
  });
});

describe('state reason', () => {
  it('reads like CloudWatch for a threshold crossed', () => {
    const definition = alarm({
      comparisonOperator: 'LessThanThreshold',
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });

    const result = evaluateMetricAlarm(
      definition,
      [{ timestamp: T0, value: 0 }],
      'OK',
      T0 + 60_000,
    );

    expect(result.reason).toBe(
      'Threshold Crossed: 1 out of the last 1 datapoints [0.0 (28/11/26 10:00:00)] was less than the threshold (100.0) (minimum 1 datapoint for OK -> ALARM transition).',
    );
  });

  it("reproduces AWS's sample events to ALARM and back to OK", () => {
    const definition = alarm({
      threshold: 50,
      statistic: 'Average',
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });

    const toAlarm = evaluateMetricAlarm(
      definition,
      [{ timestamp: Date.UTC(2019, 9, 2, 16, 59), value: 99.50160229693434 }],
      'OK',
      Date.UTC(2019, 9, 2, 17, 4, 40, 985),
    );
    const toOk = evaluateMetricAlarm(
      definition,
      [{ timestamp: Date.UTC(2019, 9, 1, 13, 46), value: 0.0666851903306472 }],
      'ALARM',
      Date.UTC(2019, 9, 1, 13, 51),
    );

    expect(toAlarm.reason).toBe(
      'Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater than the threshold (50.0) (minimum 1 datapoint for OK -> ALARM transition).',
    );
    expect(toOk.reason).toBe(
      'Threshold Crossed: 1 out of the last 1 datapoints [0.0666851903306472 (01/10/19 13:46:00)] was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).',
    );
    expect(toAlarm.reasonData).toMatchObject({
      version: '1.0',
      queryDate: '2019-10-02T17:04:40.985+0000',
      startDate: '2019-10-02T16:59:00.000+0000',
      statistic: 'Average',
      period: 300,
      recentDatapoints: [99.50160229693434],
      threshold: 50,
    });
  });

  it("reproduces AWS's 3-datapoint sample, newest first", () => {
    const definition = alarm({ threshold: 0, period: 60, datapointsToAlarm: 1 });
    const points = [undefined, undefined, 20000, 20000, 20000].map((value, index) => ({
      timestamp: Date.UTC(2022, 10, 8, 11, 21 + index),
      value,
    }));

    const result = evaluateMetricAlarm(definition, points, 'OK', Date.UTC(2022, 10, 8, 11, 26));

    expect(result.reason).toBe(
      'Threshold Crossed: 3 out of the last 3 datapoints [20000.0 (08/11/22 11:25:00), 20000.0 (08/11/22 11:24:00), 20000.0 (08/11/22 11:23:00)] were greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).',
    );
  });

  it('lists the datapoints on the deciding side and the minimum for an M of N transition to OK', () => {
    const definition = alarm({ datapointsToAlarm: 2 });

    const result = evaluateMetricAlarm(definition, range('- - 0 X 0'), 'ALARM', T0);

    expect(result.reason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [0.0 (28/11/26 10:20:00), 0.0 (28/11/26 10:10:00)] were not greater than the threshold (100.0) (minimum 2 datapoints for ALARM -> OK transition).',
    );
  });

  it.each([
    ['breaching', 'ALARM', 'Breaching'],
    ['notBreaching', 'OK', 'NonBreaching'],
  ] as const)('says how missing data was filled when treated as %s', (treatment, state, label) => {
    const definition = alarm({
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: treatment,
    });

    const result = evaluateMetricAlarm(definition, range('- - -'), 'INSUFFICIENT_DATA', T0);

    expect(result.state).toBe(state);
    expect(result.reason).toBe(
      `Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [${label}].`,
    );
  });

  it('adds the real datapoints when a partial range was filled', () => {
    const definition = alarm({ treatMissingData: 'breaching' });

    const result = evaluateMetricAlarm(definition, range('- - X - -'), 'OK', T0);

    expect(result.reason).toBe(
      'Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching]. ' +
        '1 out of the last 1 datapoints [150.0 (28/11/26 10:10:00)] was greater than the threshold (100.0) (minimum 3 datapoints for OK -> ALARM transition).',
    );
  });

  it('says how many datapoints were unknown for INSUFFICIENT_DATA', () => {
    const one = alarm({ evaluationPeriods: 1, datapointsToAlarm: 1 });

    expect(evaluateMetricAlarm(one, range('- - -'), 'OK', T0).reason).toBe(
      'Insufficient Data: 1 datapoint was unknown.',
    );
    expect(evaluateMetricAlarm(alarm(), range('- - - - -'), 'OK', T0).reason).toBe(
      'Insufficient Data: 3 datapoints were unknown.',
    );
  });
});

describe('evaluateMetricAlarm input', () => {
  it('uses an evaluation range of Evaluation Periods + 2 (5 for 3, as in the user guide)', () => {
    expect(evaluationRangeLength(alarm())).toBe(5);
    expect(evaluationRangeLength(alarm({ evaluationPeriods: 1, datapointsToAlarm: 1 }))).toBe(3);
  });

  it('refuses a range shorter than the evaluation periods', () => {
    expect(() => evaluateMetricAlarm(alarm(), range('0 0'), 'OK', T0)).toThrow(
      'alarm "msgs-dev-api-5xx": the evaluation range has 2 datapoints, fewer than its 3 evaluation periods',
    );
  });
});
