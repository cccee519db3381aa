import { runQuery, InMemoryLogStore } from '@monitored/cloudwatch-local';
import { canaryFailures, LOG_QUERIES, requestTrail } from '../../../stacks/monitoring/log-queries';

const GROUP = '/aws/lambda/msgs-prod-api';
const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ level: 'INFO', message: 'request', ...fields });

/** The queries run over function log lines, as Logs Insights would run them. */
async function run(query: readonly string[], lines: string[]) {
  const store = new InMemoryLogStore();
  lines.forEach((message, index) =>
    store.append(GROUP, { '@timestamp': 1_000 + index, '@message': message }),
  );
  return runQuery(query.join('\n| '), { store, start: 0, end: 10_000, logGroups: [GROUP] });
}

describe('the log queries', () => {
  it("find the canaries' failed requests, not the refusals their journey asks for", async () => {
    const result = await run(canaryFailures('canary-msgs-prod-api-'), [
      line({
        caller_correlation_id: 'canary-msgs-prod-api-create-1',
        status: 503,
        errorCode: 'SERVICE_UNAVAILABLE',
      }),
      line({
        caller_correlation_id: 'canary-msgs-prod-api-not-found-2',
        status: 404,
        errorCode: 'MESSAGE_NOT_FOUND',
      }),
      line({
        caller_correlation_id: 'canary-msgs-prod-api-invalid-json-3',
        status: 400,
        errorCode: 'INVALID_JSON',
      }),
      line({ caller_correlation_id: 'canary-msgs-prod-api-read-4', status: 200 }),
      line({ caller_correlation_id: 'web-5', status: 500 }),
    ]);
    expect(result.rows.map((row) => row.caller_correlation_id)).toEqual([
      'canary-msgs-prod-api-create-1',
    ]);
  });

  it('find recent errors: ERROR lines and 5xx answers', async () => {
    const result = await run(LOG_QUERIES.recentErrors, [
      line({ level: 'ERROR', message: 'request failed', errorCode: 'INTERNAL_ERROR' }),
      line({ status: 503 }),
      line({ status: 404 }),
    ]);
    expect(result.rows).toHaveLength(2);
  });

  it('sort the slowest requests first', async () => {
    const result = await run(LOG_QUERIES.slowestRequests, [
      line({ latencyMs: 5 }),
      line({ latencyMs: 900 }),
      line({ latencyMs: 40 }),
    ]);
    expect(result.rows.map((row) => row.latencyMs)).toEqual(['900', '40', '5']);
  });

  it('count the messages created per hour, from the logs', async () => {
    const result = await run(LOG_QUERIES.messagesCreated, [
      line({ route: 'POST /messages', status: 201 }),
      line({ route: 'POST /messages', status: 201 }),
      line({ route: 'POST /messages', status: 400 }),
      line({ route: 'GET /messages', status: 200 }),
    ]);
    expect(result.rows.map((row) => row.created)).toEqual(['2']);
  });

  it("follow one request's lines: the function's, and API Gateway's own access-log line", async () => {
    const store = new InMemoryLogStore();
    const access = '/aws/apigateway/msgs-prod-api-access';
    const fn = [
      line({ caller_correlation_id: 'canary-x-count-7', correlation_id: 'GwId7=' }),
      line({ level: 'ERROR', message: 'request failed', correlation_id: 'GwId7=', status: 503 }),
      line({ caller_correlation_id: 'canary-x-count-8', correlation_id: 'GwId8=' }),
    ];
    fn.forEach((message, index) =>
      store.append(GROUP, { '@timestamp': 1_000 + index, '@message': message, '@log': GROUP }),
    );
    for (const requestId of ['GwId7=', 'GwId8='])
      store.append(access, {
        '@timestamp': 1_010,
        '@message': JSON.stringify({ requestId, status: 503, errorMessage: '-' }),
        '@log': access,
      });

    const result = await runQuery(
      requestTrail({ correlationId: 'canary-x-count-7', apiGatewayRequestId: 'GwId7=' }).join(
        '\n| ',
      ),
      { store, start: 0, end: 10_000, logGroups: [GROUP, access] },
    );
    const withoutGateway = await runQuery(
      requestTrail({ correlationId: 'canary-x-count-7' }).join('\n| '),
      { store, start: 0, end: 10_000, logGroups: [GROUP, access] },
    );

    expect(result.rows.map((row) => row['@log'])).toEqual([GROUP, GROUP, access]);
    expect(withoutGateway.rows).toHaveLength(1);
  });
});
