import { nextRun, runsWithinSeconds, scheduleInterval, scheduleRunsPerDay } from '../src/schedules';

const HOUR = 3600;

describe('scheduleInterval', () => {
  it.each([
    ['rate(1 minute)', 60],
    ['rate(6 minutes)', 360],
    ['rate(60 minutes)', HOUR],
    ['rate(1 hour)', HOUR],
  ])('reads %s as every %i s', (expression, seconds) => {
    expect(scheduleInterval(expression)).toEqual({ kind: 'every', seconds });
  });

  it.each(['rate(0 minute)', 'rate(0 hour)'])('reads %s as a single run', (expression) => {
    expect(scheduleInterval(expression)).toEqual({ kind: 'once' });
  });

  it.each([
    // AWS's examples: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_cron.html
    ['cron(0/10 * * * ? *)', 600],
    ['cron(0 0/2 * * ? *)', 2 * HOUR],
    ['cron(30 0/12 * * ? *)', 12 * HOUR],
    ['cron(15 10 * * ? *)', 24 * HOUR],
    // The longest gap, across midnight: 20:00 → 01:00 is 5 h, 02:00 → 20:00 is 18 h.
    ['cron(0 1,2,20 * * ? *)', 18 * HOUR],
    ['cron(0,30 8-9 ? * * *)', 22 * HOUR + 30 * 60],
  ])('bounds %s: at most %i s between runs', (expression, seconds) => {
    expect(scheduleInterval(expression)).toEqual({ kind: 'every', seconds });
  });

  it.each([
    ['rate(2 hours)', /not rate\(N minute\|minutes\|hour\) nor cron/],
    ['rate(90 minutes)', /use cron\(\.\.\.\) for longer intervals/],
    ['rate(5 seconds)', /not rate/],
    ['cron(0 12 ? * MON-FRI *)', /cannot tell the longest time between its runs/],
    ['cron(0 12 1 * ? *)', /cannot tell/],
    ['cron(0 12 * * * *)', /cannot tell/],
    ['cron(0 12 * * ?)', /a canary cron has 6 fields/],
    ['cron(0 25 * * ? *)', /cannot tell/],
    ['every 5 minutes', /not rate/],
  ])('refuses %s, saying why', (expression, reason) => {
    const interval = scheduleInterval(expression);
    expect(interval.kind).toBe('invalid');
    expect(interval).toEqual({ kind: 'invalid', reason: expect.stringMatching(reason) });
  });
});

describe('scheduleRunsPerDay', () => {
  it.each([
    ['rate(1 minute)', 1440],
    ['rate(6 minutes)', 240],
    ['rate(1 hour)', 24],
    ['cron(0 0/2 * * ? *)', 12],
    ['cron(30 0/12 * * ? *)', 2],
    // Uneven gaps: the longest is 18 h, but it runs three times a day.
    ['cron(0 1,2,20 * * ? *)', 3],
    ['cron(0,30 8-9 ? * * *)', 4],
  ])('counts %s as %i runs a day', (expression, runs) => {
    expect(scheduleRunsPerDay(expression)).toBe(runs);
  });

  it.each(['rate(0 minute)', 'rate(90 minutes)', 'cron(0 12 ? * MON-FRI *)', 'every day'])(
    'has no count for %s',
    (expression) => {
      expect(scheduleRunsPerDay(expression)).toBeUndefined();
    },
  );
});

describe('nextRun', () => {
  const at = (time: string) => Date.parse(`2026-11-28T${time}Z`);
  const STARTED = at('10:17:30');

  it.each([
    ['rate(6 minutes)', '10:17:30', '10:23:30'],
    ['rate(6 minutes)', '10:23:29', '10:23:30'],
    ['rate(6 minutes)', '10:23:30', '10:29:30'],
    ['rate(1 hour)', '12:00:00', '12:17:30'],
    ['rate(1 minute)', '10:17:30', '10:18:30'],
  ])('counts %s from the start: after %s comes %s', (expression, after, expected) => {
    expect(nextRun(expression, STARTED, at(after))).toBe(at(expected));
  });

  it('runs a rate schedule at its start first', () => {
    expect(nextRun('rate(6 minutes)', STARTED, STARTED - 1)).toBe(STARTED);
  });

  it.each([
    // Every 2 hours on the hour, whatever the start: dev's API canary.
    ['cron(0 0/2 * * ? *)', '10:17:30', '12:00:00'],
    ['cron(0 0/2 * * ? *)', '12:00:00', '14:00:00'],
    ['cron(0 0/2 * * ? *)', '23:00:00', '00:00:00', 1],
    // 00:30 and 12:30: dev's website canary.
    ['cron(30 0/12 * * ? *)', '10:17:30', '12:30:00'],
    ['cron(30 0/12 * * ? *)', '12:30:00', '00:30:00', 1],
    ['cron(0/10 * * * ? *)', '10:17:30', '10:20:00'],
    ['cron(0,30 8-9 ? * * *)', '09:30:00', '08:00:00', 1],
  ])(
    'runs %s at its times of day in UTC: after %s comes %s',
    (expression, after, expected, days = 0) => {
      expect(nextRun(expression, STARTED, at(after))).toBe(at(expected) + days * 86_400_000);
    },
  );

  it('runs rate(0 minute) once, at its start', () => {
    expect(nextRun('rate(0 minute)', STARTED, STARTED - 1)).toBe(STARTED);
    expect(nextRun('rate(0 minute)', STARTED, STARTED)).toBeUndefined();
  });

  it.each(['cron(0 12 ? * MON-FRI *)', 'rate(2 hours)', 'every 5 minutes'])(
    'refuses %s, naming it',
    (expression) => {
      expect(() => nextRun(expression, STARTED, STARTED)).toThrow(expression);
    },
  );
});

describe('runsWithinSeconds', () => {
  it.each([
    // dev's website canary: 12 hours, then the run and its retry at 120 s each.
    ['cron(30 0/12 * * ? *)', 1, 120, 43_200 + 240],
    ['rate(6 minutes)', 1, 30, 360 + 60],
    ['rate(1 hour)', 0, 120, 3_600 + 120],
    ['rate(1 hour)', 2, 120, 3_600 + 360],
  ])(
    'gives %s with %i retries of %i s a run within %i s',
    (expression, retries, timeout, seconds) => {
      expect(runsWithinSeconds({ expression, maxRetries: retries, timeoutSeconds: timeout })).toBe(
        seconds,
      );
    },
  );

  it.each([
    ['rate(0 minute)', /runs once, so there is no next run/],
    ['rate(2 hours)', /not rate\(N minute\|minutes\|hour\) nor cron/],
  ])('refuses %s, saying why', (expression, why) => {
    expect(() => runsWithinSeconds({ expression, maxRetries: 0, timeoutSeconds: 60 })).toThrow(why);
  });
});
