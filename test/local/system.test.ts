/**
 * The local system started in this process (scripts/start.ts runs it as a person would, in
 * test/scripts/start.test.ts): what it takes from the stage, and how it answers while it stops.
 */
import { MESSAGES_PATH } from '../../contract/api';
import { STAGES, stageConfigs } from '../../stacks/config';
import { startLocalSystem } from '../../local/system';
import { pollUntil } from '../support/processes';

const CONFIGS = stageConfigs({ alertEmails: { dev: [], prod: [] } });

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
});
