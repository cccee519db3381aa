/**
 * Throttling as the SDK meets it: a real HTTP server on loopback answers CloudWatch's
 * DescribeAlarms the way CloudWatch does when throttling (HTTP 400, the JSON 1.0 error body and the
 * query-compatible `x-amzn-query-error: Throttling;Sender` header), so the SDK's own retry strategy,
 * error parsing and backoff run, not a mock of them. Synthetics answers an empty list.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { awsClients, readStageHealth, statusTarget } from '../../../tools/status/stage-health';
import { deployAlarmName } from '../../../stacks/monitoring/names';
import { namePrefix } from '../../../stacks/shared/naming';

const DEPLOY_ALARM = deployAlarmName(namePrefix('prod'));

interface Fake {
  readonly url: string;
  /** When each DescribeAlarms request arrived. */
  readonly describeAlarms: number[];
  close(): Promise<void>;
}

/** Answers the first `throttled` DescribeAlarms with CloudWatch's throttling error, then alarms. */
async function fakeAws(throttled: number): Promise<Fake> {
  const describeAlarms: number[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      if (target.endsWith('.DescribeAlarms')) {
        describeAlarms.push(Date.now());
        response.setHeader('content-type', 'application/x-amz-json-1.0');
        if (describeAlarms.length <= throttled) {
          response.setHeader('x-amzn-query-error', 'Throttling;Sender');
          response.writeHead(400);
          response.end(JSON.stringify({ __type: 'Throttling', message: 'Rate exceeded' }));
          return;
        }
        response.writeHead(200);
        response.end(
          JSON.stringify({
            MetricAlarms: [
              {
                AlarmName: DEPLOY_ALARM,
                StateValue: 'OK',
                StateReason: 'Deploy of prod finished',
                StateUpdatedTimestamp: 1_795_000_000,
                ActionsEnabled: true,
                AlarmActions: [],
                OKActions: [],
              },
            ],
            CompositeAlarms: [],
          }),
        );
        return;
      }
      if (request.method === 'POST' && request.url === '/canaries') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ Canaries: [] }));
        return;
      }
      response.writeHead(404);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    describeAlarms,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const target = statusTarget('prod', {
  outputsFile: path.join(__dirname, 'no-such-outputs.json'),
  projectDirectory: __dirname,
});
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' };

describe('status against a throttling CloudWatch', () => {
  // The standard strategy's wait before a retry is random (full jitter, from 0), so the tests
  // count the attempts rather than time them.
  it('retries a throttled call, as the SDK does, and reads the alarms', async () => {
    const aws = await fakeAws(2);
    try {
      const health = await readStageHealth(
        target,
        awsClients({ endpoint: aws.url, credentials, maxAttempts: 3 }),
      );
      expect(aws.describeAlarms).toHaveLength(3);
      expect(health.alarmFailures).toEqual([]);
      expect(health.alarms.map((alarm) => [alarm.name, alarm.state])).toEqual([
        [DEPLOY_ALARM, 'OK'],
      ]);
    } finally {
      await aws.close();
    }
  });

  it('says which call was throttled, and after how many attempts, once the retries run out', async () => {
    const aws = await fakeAws(Number.POSITIVE_INFINITY);
    try {
      const health = await readStageHealth(
        target,
        awsClients({ endpoint: aws.url, credentials, maxAttempts: 3 }),
      );
      expect(aws.describeAlarms).toHaveLength(3);
      expect(health.alarmFailures.map((failure) => [failure.kind, failure.message])).toEqual([
        [
          'throttled',
          'CloudWatch.DescribeAlarms in us-east-1 was throttled by AWS (Throttling) after 3 attempts; try again in a minute',
        ],
      ]);
    } finally {
      await aws.close();
    }
  });
});
