/**
 * What the terminal says about the loop's canaries: their schedules in real time at start-up, and
 * a canary whose runs fall behind its schedule (a scale this machine cannot keep), in words a
 * person can act on.
 */
import type { ScheduledCanary, ScheduledRun } from '@monitored/cloudwatch-local';
import {
  canaryNotes,
  describeLag,
  describeLoopEvent,
  describeRun,
  describeSchedules,
} from '../../../local/monitoring/monitoring-loop';

const API: ScheduledCanary = {
  journey: 'api',
  name: 'msgs-prod-api',
  schedule: { expression: 'rate(6 minutes)', maxRetries: 1, timeoutSeconds: 30, memoryMb: 960 },
  logGroupName: '/aws/lambda/cwsyn-msgs-prod-api-local',
};
const WEBSITE: ScheduledCanary = {
  ...API,
  journey: 'website',
  name: 'msgs-prod-website',
  schedule: { ...API.schedule, expression: 'rate(1 hour)' },
};
const MINUTE = 60_000;

describe('the loop in the terminal', () => {
  it("says a canary fell behind at 3600x: its interval in real time, its run's length, and the scale that keeps up", () => {
    expect(
      describeLag({ canary: API, behind: true, intervalMs: 6 * MINUTE, runRealMs: 1_800 }, 3600),
    ).toBe(
      'CANARY msgs-prod-api is behind its schedule: its interval, 6 simulated minutes, lasts 0.1 s of real time at 3600×, and its last run took 1.8 s. Its runs go on one after another, each stamped with its scheduled time, and the alarms wait for them: alarms and emails come late, not wrong. This machine keeps up at about 200× or less.',
    );
  });

  it('says when it has caught up', () => {
    expect(
      describeLag({ canary: API, behind: false, intervalMs: 6 * MINUTE, runRealMs: 150 }, 600),
    ).toBe('CANARY msgs-prod-api has caught up with its schedule.');
  });

  it('gives the schedules in real time at start-up', () => {
    expect(describeSchedules([API, WEBSITE], 60)).toBe(
      'msgs-prod-api every 6.0 s, msgs-prod-website every 60 s of real time; a run that outlasts its interval delays the next one (none is skipped) and the alarms wait for it',
    );
  });

  it('counts in the singular for one: 1 step, 1 retry', () => {
    const attempt = {
      runId: 'r',
      startedAt: 0,
      endedAt: 0,
      durationMs: 5,
      passed: false,
      failedToExecute: false,
      timedOut: false,
      steps: [
        { name: 'count', status: 'failed' as const, durationMs: 5, error: 'count: HTTP 503' },
      ],
      logs: [],
    };
    const run: ScheduledRun = {
      id: 'r',
      canaryName: API.name,
      journey: 'api',
      scheduledAt: 0,
      endedAt: 0,
      attempts: [
        { ...attempt, retry: 0 },
        {
          ...attempt,
          retry: 1,
          passed: true,
          steps: [{ name: 'count', status: 'passed', durationMs: 5 }],
        },
      ],
      passed: true,
      startedLateMs: 0,
    };

    expect(describeLoopEvent({ type: 'canaryRun', run }, '')).toBe(
      'CANARY [sim 00:00] msgs-prod-api passed (1 step, 5 ms) on retry 1',
    );
    expect(describeRun({ ...run, passed: false })).toContain('failed after 1 retry');
  });
});

describe("an alarm email's notes on the canaries", () => {
  const failedRun = (scheduledAt: number): ScheduledRun => {
    const error = `count: expected HTTP 200, got 503 (x-correlation-id=canary-msgs-prod-api-count-1, apigw-requestid=Gw1=)`;
    return {
      id: `run-${scheduledAt}`,
      canaryName: API.name,
      journey: 'api',
      scheduledAt,
      endedAt: scheduledAt + 30_000,
      attempts: [
        {
          retry: 0,
          runId: `run-${scheduledAt}`,
          startedAt: scheduledAt,
          endedAt: scheduledAt + 30_000,
          durationMs: 500,
          passed: false,
          failedToExecute: false,
          timedOut: false,
          error,
          steps: [{ name: 'count', status: 'failed', durationMs: 40, error }],
          logs: [],
        },
      ],
      passed: false,
      startedLateMs: 0,
    };
  };
  const CHANGE = Date.UTC(2026, 10, 28, 10, 7);
  const options = {
    monitorUrl: 'http://127.0.0.1:8090',
    requestLogGroups: ['/aws/lambda/msgs-prod-api', '/aws/apigateway/msgs-prod-api-access'],
    scale: 60,
  };

  it('cites the latest run scheduled by the change, never one after the email was dated', () => {
    const runs = [failedRun(CHANGE + 5 * MINUTE), failedRun(CHANGE - MINUTE)];

    const notes = canaryNotes([API.name], () => runs, CHANGE, options);

    expect(notes[0]).toContain('The run of msgs-prod-api at 2026-11-28 10:06:00 UTC failed');
    expect(notes[0]).not.toContain('10:12:00');
  });

  it("links the failed run's request to its lines, with both ids, in a fixed range", () => {
    const notes = canaryNotes([API.name], () => [failedRun(CHANGE - MINUTE)], CHANGE, options);
    const link = /Its failed request in the logs: (\S+)/.exec(notes[0])?.[1] ?? '';
    const url = new URL(link);

    expect(url.origin + url.pathname).toBe('http://127.0.0.1:8090/logs');
    expect(url.searchParams.get('query')).toContain('requestId = "Gw1="');
    expect(url.searchParams.get('start')).toBe('2026-11-28T10:06:00.000Z');
    // Its end and a margin for lines that arrive just after: 5 real seconds at 60x.
    expect(url.searchParams.get('end')).toBe('2026-11-28T10:11:30.000Z');
  });

  it('says when a canary has not finished a run by then', () => {
    expect(canaryNotes([API.name], () => [failedRun(CHANGE + MINUTE)], CHANGE, options)).toEqual([
      `msgs-prod-api had not finished a run by then: http://127.0.0.1:8090/canaries/msgs-prod-api`,
    ]);
  });
});
