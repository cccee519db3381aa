import { LOG_FIELDS, LOG_MESSAGES } from '../../../../contract/logs';
import { executeQuery, parseQuery, type LogEvent } from '@monitored/cloudwatch-local';

/** 2024-05-19 06:00:00.000 UTC: the events of the tests are offsets from it. */
const T0 = Date.UTC(2024, 4, 19, 6, 0, 0);

/** An event whose @message is this object as JSON, `offsetMs` after T0. */
function json(offsetMs: number, fields: object, logStream = 'stream-1'): LogEvent {
  return {
    '@timestamp': T0 + offsetMs,
    '@message': JSON.stringify(fields),
    '@logStream': logStream,
  };
}

const run = (query: string, events: readonly LogEvent[]) => executeQuery(parseQuery(query), events);

const MINUTE = 60_000;

describe('Logs Insights: the queries of the dashboard', () => {
  const F = LOG_FIELDS;
  const group = '/aws/lambda/msgs-dev-api';
  const request = (offsetMs: number, latencyMs: number) =>
    json(offsetMs, {
      [F.level]: 'INFO',
      [F.message]: LOG_MESSAGES.request,
      [F.latencyMs]: latencyMs,
    });
  const failure = (offsetMs: number, correlationId: string) =>
    json(offsetMs, {
      [F.level]: 'ERROR',
      [F.message]: LOG_MESSAGES.failed,
      [F.errorCode]: 'InternalError',
      [F.correlationId]: correlationId,
      [F.callerCorrelationId]: `caller-${correlationId}`,
    });

  it('lists the latest errors, newest first', () => {
    const events = [
      request(0, 5),
      ...Array.from({ length: 25 }, (_, i) => failure(i * 1000, `c${i}`)),
      request(30_000, 5),
    ];
    const query =
      `SOURCE '${group}' | fields @timestamp, ${F.level}, ${F.message}, ${F.errorCode}, ${F.correlationId}, ${F.callerCorrelationId}\n` +
      `| filter ${F.level} = "ERROR"\n| sort @timestamp desc\n| limit 20`;

    const result = run(query, events);

    expect(result.columns).toEqual([
      '@timestamp',
      'level',
      'message',
      'errorCode',
      'correlation_id',
      'caller_correlation_id',
    ]);
    expect(result.rows).toHaveLength(20);
    expect(result.rows[0]).toEqual({
      '@timestamp': '2024-05-19 06:00:24.000',
      level: 'ERROR',
      message: 'request failed',
      errorCode: 'InternalError',
      correlation_id: 'c24',
      caller_correlation_id: 'caller-c24',
    });
    expect(result.rows[19].correlation_id).toBe('c5');
  });

  it('charts latency and request count in 5-minute bins', () => {
    const events = [
      request(0, 10),
      request(MINUTE, 20),
      failure(2 * MINUTE, 'x'),
      ...Array.from({ length: 100 }, (_, i) => request(5 * MINUTE + i, i + 1)),
    ];
    const query =
      `SOURCE '${group}' | filter ${F.message} = "${LOG_MESSAGES.request}"\n` +
      `| stats avg(${F.latencyMs}), pct(${F.latencyMs}, 99), count(*) by bin(5m)`;

    const result = run(query, events);

    expect(result.columns).toEqual(['bin(5m)', 'avg(latencyMs)', 'pct(latencyMs, 99)', 'count(*)']);
    expect(result.rows).toEqual([
      {
        'bin(5m)': '2024-05-19 06:00:00.000',
        'avg(latencyMs)': '15',
        'pct(latencyMs, 99)': '20',
        'count(*)': '2',
      },
      {
        'bin(5m)': '2024-05-19 06:05:00.000',
        'avg(latencyMs)': '50.5',
        'pct(latencyMs, 99)': '99',
        'count(*)': '100',
      },
    ]);
  });
});
