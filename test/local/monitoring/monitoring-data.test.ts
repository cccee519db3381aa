/**
 * What the local parts write into the monitoring loop's log groups, read back by the dashboard's
 * own queries.
 */
import type { AccessLogEntry } from '../../../contract/logs';
import { SimulatedClock } from '../../../local/monitoring/clock';
import { runQuery } from '../../../local/monitoring/logs-insights/interpreter';
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
