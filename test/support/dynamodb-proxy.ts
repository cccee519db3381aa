import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with DynamoDB Local's answer to one call. */
export type AnswerHook = (operation: string) => 'pass' | 'hold';

export interface DynamoDbProxy {
  /** The endpoint to give the function instead of DynamoDB Local's. */
  readonly endpoint: string;
  /** Decides, after DynamoDB Local has answered, whether the caller gets the answer. */
  onAnswer: AnswerHook;
  /** Resolves when DynamoDB Local has answered a call of `operation` that the hook held. */
  held(operation: string): Promise<void>;
  /** Sends every held answer on, as if the network had recovered. */
  release(): void;
  close(): Promise<void>;
}

/**
 * An HTTP proxy between the function and DynamoDB Local that can hold DynamoDB's answer to a call
 * after DynamoDB Local has applied it: the one moment a real fault (the function dying, an
 * integration timing out) can be produced at, and no mock could show that the write committed.
 */
export async function startDynamoDbProxy(target: string): Promise<DynamoDbProxy> {
  const heldAnswers: (() => void)[] = [];
  const waiters: { operation: string; resolve: () => void }[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      // The SDK names the operation in X-Amz-Target: DynamoDB_20120810.TransactWriteItems.
      const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const upstream = http.request(
        `${target}${request.url ?? '/'}`,
        { method: request.method, headers: request.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            const send = () => {
              if (response.destroyed) return;
              response.writeHead(answer.statusCode ?? 502, answer.headers);
              response.end(Buffer.concat(body));
            };
            if (proxy.onAnswer(operation) === 'pass') return send();
            heldAnswers.push(send);
            for (const waiter of waiters.filter((w) => w.operation === operation)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve();
            }
          });
        },
      );
      upstream.on('error', () => response.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const proxy: DynamoDbProxy = {
    endpoint: `http://127.0.0.1:${port}`,
    onAnswer: () => 'pass',
    held: (operation) => new Promise((resolve) => waiters.push({ operation, resolve })),
    release: () => {
      for (const send of heldAnswers.splice(0)) send();
    },
    close: async () => {
      proxy.release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
