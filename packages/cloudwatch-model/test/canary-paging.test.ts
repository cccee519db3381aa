import {
  canaryThresholds,
  deployedRecentlyThreshold,
  deployHoldThreshold,
  FIRST_RUN_MARGIN_SECONDS,
  newCanaryGraceSeconds,
  pagingSuppression,
  SYNTHETICS,
  type CanarySchedule,
} from '@monitored/cloudwatch-model';

const everyFiveMinutes: CanarySchedule = {
  expression: 'rate(5 minutes)',
  maxRetries: 1,
  timeoutSeconds: 30,
  memoryMb: 960,
};
const twiceADay: CanarySchedule = {
  expression: 'cron(0 0/12 * * ? *)',
  maxRetries: 2,
  timeoutSeconds: 120,
  memoryMb: 960,
};

describe("a canary's thresholds", () => {
  it('watch success after retries when the canary retries, and without when it does not', () => {
    expect(canaryThresholds({ intervalSeconds: 300, retries: 1 }).journeyFailing.metric).toBe(
      SYNTHETICS.successPercentWithRetries,
    );
    expect(canaryThresholds({ intervalSeconds: 300, retries: 0 }).notRunning.metric).toBe(
      SYNTHETICS.successPercent,
    );
  });

  it('say "not running" after the whole evaluation range, N + 2 periods of the interval, is silent', () => {
    const { notRunning } = canaryThresholds({ intervalSeconds: 360, retries: 1 });
    expect(notRunning).toMatchObject({
      statistic: 'SampleCount',
      periodSeconds: 360,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: 'breaching',
    });
    expect(notRunning.broke).toBe(
      'The canary has not run for 4 of its intervals (24 minutes): nothing is watching this journey.',
    );
  });

  it("check first what the caller says a failed journey leaves, else the canary's failed run", () => {
    expect(canaryThresholds({ intervalSeconds: 300, retries: 1 }).journeyFailing.checkFirst).toBe(
      "the canary's failed run",
    );
    expect(
      canaryThresholds({ intervalSeconds: 300, retries: 1, journeyCheckFirst: 'its screenshot' })
        .journeyFailing.checkFirst,
    ).toBe('its screenshot');
  });
});

describe('the deploy alarms', () => {
  it('hold for 2 hours of minutes, 1 held minute of them an ALARM, in the namespace given', () => {
    const hold = deployHoldThreshold({
      namespace: 'shop-prod',
      quieted: 'the pager',
      releaseCommand: './release prod',
    });
    expect(hold).toMatchObject({
      metric: { namespace: 'shop-prod', name: 'DeployInProgress' },
      statistic: 'Sum',
      periodSeconds: 60,
      evaluationPeriods: 120,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
    });
    expect(hold.broke).toBe(
      'A deploy holds this stage: the pager sends nothing until it is released, or until the hold ends by itself about 2 hours after it was taken.',
    );
    expect(hold.checkFirst).toMatch(/release it: \.\/release prod$/);
  });

  it('count a deploy as recent for the slowest first run and a margin, in whole minutes', () => {
    // Twice a day: 12 hours, then the run and 2 retries of 120 s; every 5 minutes: 300 + 2 × 30.
    const grace = newCanaryGraceSeconds([everyFiveMinutes, twiceADay]);
    expect(grace).toBe(43_200 + 3 * 120 + FIRST_RUN_MARGIN_SECONDS);
    expect(newCanaryGraceSeconds([everyFiveMinutes])).toBe(360 + FIRST_RUN_MARGIN_SECONDS);

    const recently = deployedRecentlyThreshold('shop-prod', 61);
    expect(recently).toMatchObject({
      metric: { namespace: 'shop-prod', name: 'DeployInProgress' },
      statistic: 'SampleCount',
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      periodSeconds: 60,
      evaluationPeriods: 2,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
    });
  });

  it("keep the pager quiet for a minute's wait, and after a deploy until the settling canary ran again", () => {
    expect(pagingSuppression(everyFiveMinutes)).toEqual({
      waitSeconds: 60,
      extensionSeconds: 300 + 2 * 30 + 60,
    });
  });
});
