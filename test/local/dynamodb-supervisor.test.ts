/**
 * The supervisor's suspend() and resume(), which the outage drill breaks and restores the API
 * with: a stop it was asked for is not restarted (even with restart delays of a few
 * milliseconds), and after resume() the table is back and an unexpected exit is restarted again.
 */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localClient } from '../../local/dynamodb-local';
import { DynamoDbSupervisor } from '../../local/dynamodb-supervisor';
import { freePort } from '../../local/ports';
import { ensureMessagesTable } from '../../local/table';
import { pollUntil } from '../support/processes';

const TABLE = 'msgs-dev-messages';

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

describe('DynamoDbSupervisor suspend and resume', () => {
  const notices: string[] = [];
  let supervisor: DynamoDbSupervisor;

  beforeAll(async () => {
    supervisor = await DynamoDbSupervisor.start({
      port: await freePort(),
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

  it('stops DynamoDB Local without restarting it, says so, and starts it again with its table', async () => {
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
    expect(notices[0]).toMatch(
      /^DynamoDB Local stopped on request at \d\d:\d\d:\d\d \(real time\); the API answers 503 until it is started again\.$/,
    );
    expect(notices[1]).toMatch(
      /^DynamoDB Local started again on request at \d\d:\d\d:\d\d \(real time\) on port \d+\.$/,
    );
    expect(afterResume).toEqual([TABLE]);
  }, 60_000);

  it('supervises the resumed instance: an exit nobody asked for is restarted', async () => {
    const before = notices.length;
    process.kill(supervisor.pid!, 'SIGTERM');

    const back = await pollUntil(
      () => notices.slice(before).some((notice) => notice.startsWith('DynamoDB Local is back at')),
      30_000,
    );

    expect(back).toBe(true);
    expect(await tables(supervisor.endpoint)).toEqual([TABLE]);
  }, 60_000);
});
