import { bundleLambda } from '../../bundling/lambda';
import { MESSAGES_FUNCTION } from '../../contract/function';
import { startApiGateway } from '../../local/api-gateway';
import { FunctionError, LocalFunction } from '../../local/local-function';
import { apiEvent, createEvent, startTestFunction } from '../support/local-function';
import { waitUntilGone } from '../support/processes';

describe('the local Lambda host', () => {
  it('replaces a crashed execution environment on the next request, as Lambda does', async () => {
    const fn = await startTestFunction();
    try {
      expect((await fn.invoke(createEvent({ message: 'before the crash' }))).statusCode).toBe(201);
      const first = fn.fn.pid as number;
      process.kill(first, 'SIGKILL');
      expect(await waitUntilGone([first], 10_000)).toEqual([]);
      const event = apiEvent();
      const after = await fn.invoke(event);
      expect(after.statusCode).toBe(200);
      expect(JSON.parse(after.body)).toEqual({ count: 1 });
      expect(fn.fn.pid).not.toBe(first);
      const line = await fn.waitForLog(
        (entry) =>
          entry.message === 'request' && entry.correlation_id === event.requestContext.requestId,
      );
      expect(line.cold_start).toBe(true);
    } finally {
      await fn.fn.stop();
    }
  });

  it('reports an init failure (missing TABLE_NAME) as Runtime.ImportModuleError, and API Gateway answers 500', async () => {
    const lines: string[] = [];
    const fn = new LocalFunction({
      functionName: 'msgs-test-broken',
      bundle: bundleLambda(),
      environment: {},
      logLevel: 'INFO',
      region: 'us-west-2',
      settings: MESSAGES_FUNCTION,
      onLogLine: (line) => lines.push(line),
    });
    const gateway = await startApiGateway({
      port: 0,
      allowedOrigins: [],
      invoke: (event) => fn.invoke(event),
    });
    try {
      await expect(fn.invoke(apiEvent())).rejects.toEqual(
        expect.objectContaining({ errorType: 'Runtime.ImportModuleError' }),
      );
      await expect(fn.invoke(apiEvent())).rejects.toBeInstanceOf(FunctionError);
      expect(lines.join('\n')).toContain('Environment variable TABLE_NAME is not set');
      const response = await fetch(`${gateway.url}/messages`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    } finally {
      await gateway.stop();
      await fn.stop();
    }
  });
});
