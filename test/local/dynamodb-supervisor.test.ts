// @tier e2e
/**
 * DynamoDB Local as the system offers it: at the endpoint `npm start` prints (DYNAMODB_PORT), a
 * guarded passthrough that answers only the names it printed and passes everything else on as it
 * came, in front of the JVM on a port of its own that no browser connects to; and the supervisor's
 * suspend() and resume(), which the outage drill breaks and restores the API with: a stop it was
 * asked for is not restarted (even with restart delays of a few milliseconds), and after resume()
 * the table is back and an unexpected exit is restarted again.
 */
import * as http from 'node:http';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { launchChromium } from '../../local/chromium';
import { localClient } from '../../local/dynamodb-local';
import { DynamoDbSupervisor } from '../../local/dynamodb-supervisor';
import { BROWSER_BLOCKED_PORTS, freePort } from '../../local/ports';
import { ensureMessagesTable } from '../../local/table';
import { awsCli } from '../support/aws-cli';
import { dynamoDbCall } from '../support/dynamodb-http';
import { pollUntil } from '../support/processes';

const TABLE = 'msgs-dev-messages';
/** A table a hostile page would create: it must never exist. */
const HOSTILE_TABLE = 'created-by-a-page';
const CREATE_HOSTILE_TABLE = JSON.stringify({
  TableName: HOSTILE_TABLE,
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
});

async function tables(endpoint: string): Promise<string[] | Error> {
  const client = localClient(endpoint);
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  } catch (error: unknown) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    client.destroy();
  }
}

describe('DynamoDbSupervisor', () => {
  const notices: string[] = [];
  let printedPort: number;
  let supervisor: DynamoDbSupervisor;

  beforeAll(async () => {
    printedPort = await freePort();
    supervisor = await DynamoDbSupervisor.start({
      port: printedPort,
      prepare: async (endpoint) => {
        const client = localClient(endpoint);
        await ensureMessagesTable(client, TABLE);
        client.destroy();
      },
      onNotice: (notice) => notices.push(notice),
      // A restart, were one scheduled, would come at once.
      restartDelaysMs: [10, 10, 10],
    });
  }, 60_000);
  afterAll(() => supervisor.stop());

  describe('its printed endpoint', () => {
    it('listens on the port it was given, DynamoDB Local itself on a port no browser connects to', async () => {
      const printed = new URL(supervisor.endpoint);
      const own = new URL(supervisor.privateEndpoint);

      expect(printed.host).toBe(`127.0.0.1:${printedPort}`);
      expect(own.hostname).toBe('127.0.0.1');
      expect(BROWSER_BLOCKED_PORTS).toContain(Number(own.port));
      expect(await tables(supervisor.endpoint)).toEqual([TABLE]);
      expect(await tables(supervisor.privateEndpoint)).toEqual([TABLE]);
    });

    it("refuses a request for a name it did not print, 421 in DynamoDB's error shape, before DynamoDB Local sees it", async () => {
      const answer = await dynamoDbCall(supervisor.endpoint, 'CreateTable', CREATE_HOSTILE_TABLE, {
        host: `evil.example:${printedPort}`,
      });

      expect(answer.status).toBe(421);
      expect(answer.headers['content-type']).toBe('application/x-amz-json-1.0');
      expect(answer.headers['x-amzn-requestid']).toMatch(/^\S+$/);
      expect(JSON.parse(answer.body.toString())).toEqual({
        __type: 'MisdirectedRequest',
        message: `this server answers only http://127.0.0.1:${printedPort} (or localhost:${printedPort}), not evil.example:${printedPort}`,
      });
      expect(await tables(supervisor.privateEndpoint)).toEqual([TABLE]);
    });

    it("passes the rest on as it came: a 390 KB item, DynamoDB Local's own errors, a chunked body, on one kept-alive connection", async () => {
      const item = { id: { S: 'large' }, text: { S: 'x'.repeat(390_000) } };
      const put = JSON.stringify({ TableName: TABLE, Item: item });
      const get = JSON.stringify({ TableName: TABLE, Key: { id: { S: 'large' } } });
      const missing = JSON.stringify({ TableName: 'no-such-table', Key: { id: { S: 'x' } } });
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const stored = await dynamoDbCall(supervisor.endpoint, 'PutItem', put, {
          agent,
          chunkBytes: 16_384,
        });
        const through = await dynamoDbCall(supervisor.endpoint, 'GetItem', get, { agent });
        const refused = await dynamoDbCall(supervisor.endpoint, 'GetItem', missing, { agent });
        const direct = await dynamoDbCall(supervisor.privateEndpoint, 'GetItem', get);
        const directRefused = await dynamoDbCall(supervisor.privateEndpoint, 'GetItem', missing);

        expect(stored.status).toBe(200);
        expect(through.status).toBe(200);
        expect(through.body.equals(direct.body)).toBe(true);
        expect(JSON.parse(through.body.toString())).toEqual({ Item: item });
        expect(through.headers['x-amz-crc32']).toBe(direct.headers['x-amz-crc32']);
        expect(through.headers['content-type']).toBe(direct.headers['content-type']);
        expect(refused.status).toBe(directRefused.status);
        expect(refused.body.toString()).toBe(directRefused.body.toString());
        expect(JSON.parse(refused.body.toString())).toMatchObject({
          __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
        });
        expect(new Set([stored.clientPort, through.clientPort, refused.clientPort]).size).toBe(1);
      } finally {
        agent.destroy();
      }
    });

    it.each(['localhost', '127.0.0.1'])(
      'serves the AWS CLI pointed at http://%s:<DYNAMODB_PORT>',
      async (host) => {
        const result = await awsCli([
          'dynamodb',
          'list-tables',
          '--endpoint-url',
          `http://${host}:${printedPort}`,
          '--output',
          'json',
        ]);

        expect(result).toMatchObject({ code: 0 });
        expect(JSON.parse(result.stdout)).toEqual({ TableNames: [TABLE] });
      },
      60_000,
    );

    it('serves the SDK pointed at http://localhost:<DYNAMODB_PORT>', async () => {
      expect(await tables(`http://localhost:${printedPort}`)).toEqual([TABLE]);
    });

    /**
     * DNS rebinding, for real: Chromium resolves evil.example to 127.0.0.1, and the page's own
     * document comes from the attacker (as it did before the name was rebound). Chromium's Private
     * Network Access would refuse the page's requests to loopback on its own; it is turned off
     * here, as browsers without it (Firefox, Safari) behave.
     */
    it('lets a page under a rebound name read and write no table, on either port', async () => {
      const chromium = await launchChromium([
        '--host-resolver-rules=MAP evil.example 127.0.0.1',
        '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks',
      ]);
      try {
        const page = await chromium.browser.newPage();
        const fromPage = (port: string) => attackFrom(page, `http://evil.example:${port}`);

        expect(await fromPage(String(printedPort))).toEqual({
          status: 421,
          type: 'MisdirectedRequest',
        });
        expect(await fromPage(new URL(supervisor.privateEndpoint).port)).toEqual({
          error: 'TypeError: Failed to fetch',
        });
        expect(await tables(supervisor.privateEndpoint)).toEqual([TABLE]);
      } finally {
        await chromium.close();
      }
    }, 60_000);
  });

  /** What a page at `origin` gets when it asks its own origin to create a table. */
  async function attackFrom(
    page: Page,
    origin: string,
  ): Promise<{ status: number; type: string } | { error: string }> {
    const serveAttackerDocument = (request: HTTPRequest) => {
      if (request.isNavigationRequest() && request.url().startsWith(origin))
        void request.respond({ status: 200, contentType: 'text/html', body: '<p>hello</p>' });
      else void request.continue();
    };
    await page.setRequestInterception(true);
    page.on('request', serveAttackerDocument);
    try {
      await page.goto(`${origin}/`);
      return await page.evaluate(async (body) => {
        try {
          const response = await fetch('/', {
            method: 'POST',
            headers: {
              'x-amz-target': 'DynamoDB_20120810.CreateTable',
              'content-type': 'application/x-amz-json-1.0',
              authorization:
                'AWS4-HMAC-SHA256 Credential=any/20260101/us-west-2/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
            },
            body,
          });
          const answer = (await response.json()) as { __type: string };
          return { status: response.status, type: answer.__type };
        } catch (error: unknown) {
          return { error: String(error) };
        }
      }, CREATE_HOSTILE_TABLE);
    } finally {
      page.off('request', serveAttackerDocument);
      await page.setRequestInterception(false);
    }
  }

  describe('suspend and resume', () => {
    it('stops DynamoDB Local without restarting it, says so, and starts it again with its table', async () => {
      const before = notices.length;
      await supervisor.suspend();
      const whileSuspended = await tables(supervisor.endpoint);
      // Fifty times the restart delay: a restart would have said "Restarting" by now.
      const restarted = await pollUntil(
        () => notices.some((notice) => /Restarting|is back/.test(notice)),
        500,
      );
      await supervisor.resume();
      const afterResume = await tables(supervisor.endpoint);

      expect(whileSuspended).toBeInstanceOf(Error);
      expect(restarted).toBe(false);
      expect(notices.slice(before)).toEqual([
        expect.stringMatching(
          /^DynamoDB Local stopped on request at \d\d:\d\d:\d\d \(real time\); the API answers 503 until it is started again\.$/,
        ),
        expect.stringMatching(
          new RegExp(
            `^DynamoDB Local started again on request at \\d\\d:\\d\\d:\\d\\d \\(real time\\) on port ${printedPort}\\.$`,
          ),
        ),
      ]);
      expect(afterResume).toEqual([TABLE]);
    }, 60_000);

    it('supervises the resumed instance: an exit nobody asked for is restarted, behind the same endpoints', async () => {
      const before = notices.length;
      const own = supervisor.privateEndpoint;
      process.kill(supervisor.pid!, 'SIGTERM');

      const back = await pollUntil(
        () =>
          notices.slice(before).some((notice) => notice.startsWith('DynamoDB Local is back at')),
        30_000,
      );

      expect(back).toBe(true);
      expect(supervisor.privateEndpoint).toBe(own);
      expect(await tables(supervisor.endpoint)).toEqual([TABLE]);
    }, 60_000);
  });

  describe('stopping', () => {
    it("answers 503 with Retry-After in DynamoDB's error shape once the system stops", async () => {
      supervisor.beginStopping();

      const answer = await dynamoDbCall(supervisor.endpoint, 'ListTables', '{}');

      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toMatch(/^\d+$/);
      expect(answer.headers['content-type']).toBe('application/x-amz-json-1.0');
      expect(JSON.parse(answer.body.toString())).toEqual({
        __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable',
        message: expect.any(String),
      });
    });
  });
});
