import { randomUUID } from 'node:crypto';
import {
  DynamoDBClient,
  GetItemCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { TABLE_KEY } from '../contract/function';
import { DependencyUnavailableError } from './errors';
import { logger } from './logger';

/** The item that holds the message count. Never a UUID, so no message can collide with it. */
export const COUNTER_ITEM_ID = 'counter#messages';

export interface Message {
  readonly id: string;
  readonly message: string;
  readonly createdAt: string;
}

// DynamoDB's own exceptions that mean "try again later" rather than "this request is wrong".
const UNAVAILABLE_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    UNAVAILABLE_ERRORS.has(error.name) || (typeof code === 'string' && NETWORK_ERRORS.has(code))
  );
}

function isTransactionConflict(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict')
  );
}

/** How long a create may keep retrying transaction conflicts before it answers 503. */
const CONFLICT_RETRY_MS = 1500;

function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(400, 20 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Messages in one DynamoDB table: one item per message plus a counter item, written together in
 * one transaction so that the count is exact and costs one item read.
 */
export class MessageStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(text: string): Promise<Message> {
    const message: Message = {
      id: randomUUID(),
      message: text,
      createdAt: new Date().toISOString(),
    };
    const transaction = (token: string) =>
      new TransactWriteItemsCommand({
        // The token makes the SDK's own retries of one attempt (a lost response, a timeout)
        // idempotent: DynamoDB applies the transaction at most once per token.
        ClientRequestToken: token,
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                [TABLE_KEY.partitionKey]: { S: message.id },
                message: { S: message.message },
                createdAt: { S: message.createdAt },
              },
              ConditionExpression: 'attribute_not_exists(#id)',
              ExpressionAttributeNames: { '#id': TABLE_KEY.partitionKey },
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: { [TABLE_KEY.partitionKey]: { S: COUNTER_ITEM_ID } },
              UpdateExpression: 'ADD #count :one',
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: { ':one': { N: '1' } },
            },
          },
        ],
      });
    // Every create updates the one counter item, so concurrent creates conflict. A cancelled
    // transaction wrote nothing, so it is tried again as a new request, with a new token.
    const giveUpAt = Date.now() + CONFLICT_RETRY_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(transaction(randomUUID()));
        logger.debug('message stored', { id: message.id, attempts: attempt + 1 });
        return message;
      } catch (error: unknown) {
        if (isTransactionConflict(error) && Date.now() < giveUpAt) {
          logger.debug('transaction conflict on the counter, retrying', { attempt: attempt + 1 });
          await backoff(attempt);
          continue;
        }
        throw this.translate(error, 'store the message');
      }
    }
  }

  async get(id: string): Promise<Message | undefined> {
    try {
      const { Item } = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [TABLE_KEY.partitionKey]: { S: id } },
          // Strongly consistent: a client that just created a message can read it back at once.
          ConsistentRead: true,
        }),
      );
      if (Item?.message?.S === undefined) return undefined;
      return { id, message: Item.message.S, createdAt: Item.createdAt?.S ?? '' };
    } catch (error: unknown) {
      throw this.translate(error, 'read the message');
    }
  }

  async count(): Promise<number> {
    try {
      const { Item } = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [TABLE_KEY.partitionKey]: { S: COUNTER_ITEM_ID } },
          ConsistentRead: true,
          ProjectionExpression: '#count',
          ExpressionAttributeNames: { '#count': 'count' },
        }),
      );
      return Number(Item?.count?.N ?? '0');
    } catch (error: unknown) {
      throw this.translate(error, 'read the count');
    }
  }

  private translate(error: unknown, action: string): unknown {
    if (isUnavailable(error) || isTransactionConflict(error)) {
      return new DependencyUnavailableError(`DynamoDB could not ${action}`, { cause: error });
    }
    return error;
  }
}
