/**
 * What the local parts write into the monitoring loop's log groups, read back by the dashboard's
 * own queries.
 */
import type { AccessLogEntry } from '../../../contract/logs';
import { SimulatedClock, runQuery } from '@monitored/cloudwatch-local';
import { MonitoringData } from '../../../local/monitoring/monitoring-loop';
import { LOG_QUERIES } from '../../../stacks/monitoring/log-queries';
import { stageDefinitions } from '../../support/monitor';

const entry = (status: number, errorMessage = '-'): AccessLogEntry => ({
  requestId: `request-${status}`,
  requestTime: '28/Nov/2026:10:00:00 +0000',
  routeKey: 'GET /messages',
  status,
  responseLatency: 12,
  integrationLatency: '-',
  integrationError: '-',
  errorMessage,
  errorResponseType: '-',
  sourceIp: '127.0.0.1',
  userAgent: 'test',
  responseLength: 20,
});

describe("the API's access log group", () => {
  it("holds lines as the stack's format writes them, so the recent-errors widget finds API Gateway's own 5xx", async () => {
    const definitions = stageDefinitions('prod');
    const data = new MonitoringData(definitions, new SimulatedClock(60), () => undefined);
    data.accessLog(entry(200));
    data.accessLog(entry(503, 'Service Unavailable'));

    const group = definitions.names.accessLogGroup;
    const events = await data.logs.events([group], 0, Number.MAX_SAFE_INTEGER);
    const [line] = events.filter((event) => String(event['@message']).includes('503'));
    const result = await runQuery(LOG_QUERIES.recentErrors.join('\n| '), {
      store: data.logs,
      start: 0,
      end: Number.MAX_SAFE_INTEGER,
      logGroups: [group],
    });

    expect(JSON.parse(String(line['@message']))).toMatchObject({
      status: 503,
      responseLatency: '12',
    });
    expect(result.rows).toEqual([
      // GetQueryResults gives every value as a string.
      expect.objectContaining({ status: '503', errorMessage: 'Service Unavailable' }),
    ]);
  });
});

describe('the log groups under a flood (issue 21, finding 5)', () => {
  /** The loop's clock, moved by the test: a high time scale without waiting for it. */
  const steppedClock = (start: number) => {
    let now = start;
    return {
      now: () => now,
      advance: (ms: number) => (now += ms),
      sleepUntil: () => Promise.reject(new Error('not used')),
    };
  };
  const DAY = 86_400_000;

  it("keeps each group within its byte budget and its stack's retention, in simulated time", async () => {
    const definitions = stageDefinitions('dev');
    const clock = steppedClock(Date.UTC(2026, 10, 28));
    const budget = 2 * 1024 * 1024;
    const data = new MonitoringData(definitions, clock, () => undefined, {
      logGroupBudgetBytes: budget,
    });
    const group = definitions.names.accessLogGroup;
    const retentionDays = definitions.logGroups.find((g) => g.name === group)?.retentionDays;
    expect(retentionDays).toBe(7);

    // A flood of 404s at 600x: 100 a real second is 100 every 10 simulated minutes.
    data.accessLog(entry(404));
    const first = clock.now();
    for (let i = 0; i < 30_000; i += 1) {
      clock.advance(6_000);
      data.accessLog({ ...entry(404), requestId: `flood-${i}` });
    }
    // Past the first line's retention (30,000 lines span 2 days and a bit).
    clock.advance(6 * DAY);
    data.accessLog({ ...entry(404), requestId: 'last' });

    const usage = data.logs.usage(group);
    const kept = await data.logs.events([group], 0, Number.MAX_SAFE_INTEGER);

    expect(usage.bytes).toBeLessThanOrEqual(budget);
    expect(usage.droppedLines).toBeGreaterThan(0);
    expect(kept.every((event) => event['@timestamp'] >= clock.now() - 7 * DAY)).toBe(true);
    expect(kept.some((event) => event['@timestamp'] === first)).toBe(false);
    expect(JSON.parse(kept[kept.length - 1]['@message'])).toMatchObject({ requestId: 'last' });
  });
});
