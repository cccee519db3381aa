// @tier e2e
/**
 * The local system started in this process (scripts/start.ts runs it as a person would, in
 * test/scripts/start.test.ts): what it takes from the stage, and how it answers while it stops.
 */
import { MESSAGES_PATH } from '../../contract/api';
import { STAGES, stageConfigs } from '../../stacks/config';
import { startLocalSystem } from '../../local/system';
import { freePort } from '../../local/ports';
import { dynamoDbCall } from '../support/dynamodb-http';
import { childrenOf, pollUntil } from '../support/processes';

const CONFIGS = stageConfigs({ alertEmails: { dev: [], prod: [] } });

/** Metrics recorded nowhere: the system with its DynamoDB metrics proxy in the function's path. */
const UNRECORDED_METRICS = {
  record: () => undefined,
  simulated: (real: number) => real,
  ids: { apiId: 'api', apiStage: '$default', distributionId: 'distribution' },
};

describe('the local system', () => {
  it.each(STAGES)(
    "runs %s's function in the stage's region, as stacks/config.ts sets it",
    async (stage) => {
      const lines: Record<string, unknown>[] = [];
      const system = await startLocalSystem({
        stage,
        ports: { website: 0, api: 0, dynamodb: 0 },
        onLogLine: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
      });
      try {
        const response = await fetch(`${system.apiUrl}${MESSAGES_PATH}`);

        expect(response.status).toBe(200);
        // The log line comes over stdout, the answer over IPC: it may arrive just after.
        expect(await pollUntil(() => lines.some((line) => line.message === 'request'), 5_000)).toBe(
          true,
        );
        const request = lines.find((line) => line.message === 'request');
        expect(request?.function_arn).toBe(
          `arn:aws:lambda:${CONFIGS[stage].region}:000000000000:function:${system.names.function}`,
        );
      } finally {
        await system.stop();
      }
    },
    60_000,
  );

  it.each([
    ['without metrics', undefined],
    ['with the metrics proxy', UNRECORDED_METRICS],
  ])(
    "prints DynamoDB Local's endpoint on the port asked for, and the function (%s) reaches DynamoDB Local without it",
    async (_case, metrics) => {
      const port = await freePort();
      const system = await startLocalSystem({
        ports: { website: 0, api: 0, dynamodb: port },
        metrics,
      });
      try {
        const dynamodb = system.dynamodb!;
        // The printed endpoint refuses everything from now on; the function's path is its own.
        dynamodb.beginStopping();
        const printed = await dynamoDbCall(dynamodb.endpoint, 'ListTables', '{}');
        const api = await fetch(`${system.apiUrl}${MESSAGES_PATH}`);

        expect(dynamodb.endpoint).toBe(`http://127.0.0.1:${port}`);
        expect(printed.status).toBe(503);
        expect(api.status).toBe(200);
      } finally {
        await system.stop();
      }
    },
    60_000,
  );

  it('answers 503, retryable, while it stops, and gives a request under way its answer rather than a cut connection', async () => {
    const lines: Record<string, unknown>[] = [];
    const system = await startLocalSystem({
      ports: { website: 0, api: 0, dynamodb: 0 },
      onLogLine: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    const [jvm] = childrenOf(system.dynamodb!.pid!);
    let frozen = false;
    try {
      expect((await fetch(`${system.apiUrl}${MESSAGES_PATH}`)).status).toBe(200);
      // DynamoDB Local frozen: the next request stays in the function, under way when the stop
      // begins (a fault produced for real: SIGSTOP).
      process.kill(jvm, 'SIGSTOP');
      frozen = true;
      const started = lines.length;
      const underWay = fetch(`${system.apiUrl}${MESSAGES_PATH}`);
      expect(
        await pollUntil(
          () => lines.slice(started).some((line) => line.type === 'platform.start'),
          10_000,
        ),
      ).toBe(true);

      const stopping = system.stop();
      const api = await fetch(`${system.apiUrl}${MESSAGES_PATH}`);
      const website = await fetch(system.websiteUrl);
      process.kill(jvm, 'SIGCONT');
      frozen = false;
      const answer = await underWay;
      await stopping;

      expect(api.status).toBe(503);
      expect(api.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(api.headers.get('content-type')).toBe('application/json');
      expect(await api.json()).toEqual({ message: 'Service Unavailable' });
      expect(website.status).toBe(503);
      expect(website.headers.get('retry-after')).toMatch(/^\d+$/);
      // Its own answer if the function finished within the stop's grace, else the same 503.
      expect([200, 503]).toContain(answer.status);
      if (answer.status === 503) expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      if (frozen) process.kill(jvm, 'SIGCONT');
      await system.stop();
    }
  }, 60_000);
});
