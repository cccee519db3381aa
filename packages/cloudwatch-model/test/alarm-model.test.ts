import {
  actionsFor,
  alarmArn,
  longestEvaluationSeconds,
  validateCompositeAlarm,
  validateMetricAlarm,
  type CompositeAlarmDefinition,
  type MetricAlarmDefinition,
} from '../src/alarm-model';

function metricAlarm(overrides: Partial<MetricAlarmDefinition> = {}): MetricAlarmDefinition {
  return {
    name: 'msgs-dev-journey-failing',
    region: 'us-west-2',
    namespace: 'CloudWatchSynthetics',
    metricName: 'SuccessPercent',
    dimensions: { CanaryName: 'msgs-dev-journey' },
    statistic: 'Average',
    period: 300,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    threshold: 100,
    comparisonOperator: 'LessThanThreshold',
    alarmActions: ['arn:aws:sns:us-west-2:000000000000:alarms'],
    okActions: ['arn:aws:sns:us-west-2:000000000000:ok'],
    insufficientDataActions: [],
    ...overrides,
  };
}

function composite(overrides: Partial<CompositeAlarmDefinition> = {}): CompositeAlarmDefinition {
  return {
    name: 'msgs-dev-site-down',
    region: 'us-west-2',
    alarmRule: 'ALARM(msgs-dev-journey-failing) AND NOT ALARM(msgs-dev-deploy-in-progress)',
    alarmActions: [],
    okActions: [],
    insufficientDataActions: [],
    ...overrides,
  };
}

describe('validateMetricAlarm (PutMetricAlarm rules)', () => {
  it('accepts a valid definition', () => {
    expect(() => validateMetricAlarm(metricAlarm())).not.toThrow();
  });

  it.each([10, 20, 30, 60, 120, 3600])('accepts a period of %i s', (period) => {
    expect(() =>
      validateMetricAlarm(metricAlarm({ period, evaluationPeriods: 1, datapointsToAlarm: 1 })),
    ).not.toThrow();
  });

  it.each([0, 5, 45, 90, -60, 60.5])(
    'refuses a period of %d s, naming the alarm and the rule',
    (period) => {
      expect(() => validateMetricAlarm(metricAlarm({ period }))).toThrow(
        `metric alarm "msgs-dev-journey-failing": period must be 10, 20, 30 or a multiple of 60 seconds, got ${period}`,
      );
    },
  );

  it('refuses more datapoints to alarm than evaluation periods', () => {
    expect(() =>
      validateMetricAlarm(metricAlarm({ evaluationPeriods: 2, datapointsToAlarm: 3 })),
    ).toThrow('datapointsToAlarm (3) must not exceed evaluationPeriods (2)');
  });

  it('refuses zero evaluation periods or datapoints to alarm', () => {
    expect(() =>
      validateMetricAlarm(metricAlarm({ evaluationPeriods: 0, datapointsToAlarm: 0 })),
    ).toThrow('evaluationPeriods must be a whole number of at least 1, got 0');
    expect(() => validateMetricAlarm(metricAlarm({ datapointsToAlarm: 0 }))).toThrow(
      'datapointsToAlarm must be a whole number of at least 1, got 0',
    );
  });

  it('allows one day of evaluation for periods under an hour, no more', () => {
    expect(() =>
      validateMetricAlarm(
        metricAlarm({ period: 1800, evaluationPeriods: 48, datapointsToAlarm: 1 }),
      ),
    ).not.toThrow();
    expect(() =>
      validateMetricAlarm(
        metricAlarm({ period: 1800, evaluationPeriods: 49, datapointsToAlarm: 1 }),
      ),
    ).toThrow(
      'period × evaluationPeriods (1800 × 49 = 88200 s) must not exceed 86400 s for a period under one hour',
    );
  });

  it('allows seven days of evaluation for periods of an hour or more, no more', () => {
    expect(() =>
      validateMetricAlarm(
        metricAlarm({ period: 3600, evaluationPeriods: 168, datapointsToAlarm: 1 }),
      ),
    ).not.toThrow();
    expect(() =>
      validateMetricAlarm(
        metricAlarm({ period: 3600, evaluationPeriods: 169, datapointsToAlarm: 1 }),
      ),
    ).toThrow(
      'period × evaluationPeriods (3600 × 169 = 608400 s) must not exceed 604800 s for a period of at least one hour',
    );
  });

  it('tells the longest evaluation a period allows: a day under an hour, seven days from it', () => {
    expect([60, 3599, 3600, 86_400].map(longestEvaluationSeconds)).toEqual([
      86_400, 86_400, 604_800, 604_800,
    ]);
  });

  it('refuses an unknown statistic, comparison operator or missing-data treatment from converted Terraform', () => {
    const converted: MetricAlarmDefinition = JSON.parse(
      JSON.stringify(metricAlarm({ statistic: 'p50' })).replace('"p50"', '"tm99"'),
    );
    const anomaly: MetricAlarmDefinition = JSON.parse(
      JSON.stringify(metricAlarm()).replace(
        'LessThanThreshold',
        'LessThanLowerOrGreaterThanUpperThreshold',
      ),
    );
    const treatment: MetricAlarmDefinition = {
      ...metricAlarm(),
      ...JSON.parse('{"treatMissingData":"notbreaching"}'),
    };

    expect(() => validateMetricAlarm(converted)).toThrow(
      'metric alarm "msgs-dev-journey-failing": unknown statistic "tm99"',
    );
    expect(() => validateMetricAlarm(anomaly)).toThrow(
      'comparisonOperator "LessThanLowerOrGreaterThanUpperThreshold" is not one of GreaterThanThreshold',
    );
    expect(() => validateMetricAlarm(treatment)).toThrow(
      'treatMissingData "notbreaching" is not one of missing',
    );
  });

  it('refuses more than 5 actions in a list', () => {
    const actions = Array.from({ length: 6 }, (_, i) => `arn:aws:sns:us-west-2:000000000000:t${i}`);

    expect(() => validateMetricAlarm(metricAlarm({ okActions: actions }))).toThrow(
      'okActions has 6 actions, at most 5 are allowed',
    );
  });

  it('refuses an empty name and a non-finite threshold', () => {
    expect(() => validateMetricAlarm(metricAlarm({ name: '' }))).toThrow(
      'the name must be 1 to 255 characters',
    );
    expect(() => validateMetricAlarm(metricAlarm({ threshold: Number.NaN }))).toThrow(
      'threshold must be a finite number',
    );
  });
});

describe('validateCompositeAlarm (PutCompositeAlarm rules)', () => {
  it('accepts a valid definition', () => {
    expect(() => validateCompositeAlarm(composite())).not.toThrow();
  });

  it('refuses a rule with a syntax error, naming the alarm and the position', () => {
    expect(() => validateCompositeAlarm(composite({ alarmRule: 'ALARM(a) AND' }))).toThrow(
      'composite alarm "msgs-dev-site-down": alarm rule, character 13: expected',
    );
  });

  it('refuses negative suppressor periods', () => {
    const definition = composite({
      actionsSuppressor: {
        alarm: 'msgs-dev-deploy-in-progress',
        waitPeriodSeconds: -1,
        extensionPeriodSeconds: 60,
      },
    });

    expect(() => validateCompositeAlarm(definition)).toThrow(
      'actionsSuppressor.waitPeriodSeconds must be a whole number of seconds, got -1',
    );
  });
});

describe('alarm helpers', () => {
  it('builds the ARN alarm rules and events use', () => {
    expect(alarmArn('us-east-1', '123456789012', 'ServerCpuTooHigh')).toBe(
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh',
    );
  });

  it('picks the actions of each state', () => {
    const definition = metricAlarm({
      insufficientDataActions: ['arn:aws:sns:us-west-2:000000000000:data'],
    });

    expect(actionsFor(definition, 'ALARM')).toEqual(['arn:aws:sns:us-west-2:000000000000:alarms']);
    expect(actionsFor(definition, 'OK')).toEqual(['arn:aws:sns:us-west-2:000000000000:ok']);
    expect(actionsFor(definition, 'INSUFFICIENT_DATA')).toEqual([
      'arn:aws:sns:us-west-2:000000000000:data',
    ]);
  });
});
