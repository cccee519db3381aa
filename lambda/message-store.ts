import { createHash, randomUUID } from 'node:crypto';
import {
  DynamoDBClient,
  GetItemCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { IDEMPOTENCY_KEY_TTL_SECONDS } from '../contract/api';
import { TABLE_KEY, TABLE_TTL_ATTRIBUTE } from '../contract/function';
import { ClientError, DependencyUnavailableError } from './errors';
import { logger } from './logger';

/** The item that holds the message count. Never a UUID, so no message can collide with it. */
export const COUNTER_ITEM_ID = 'counter#messages';

/** Idempotency keys live in the same table, under ids no UUID can take. */
const IDEMPOTENCY_ITEM_PREFIX = 'idempotency#';

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

// The index of the key item in a create's transaction: message, counter, key.
const KEY_ITEM_INDEX = 2;

function isKeyTaken(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    error.CancellationReasons?.[KEY_ITEM_INDEX]?.Code === 'ConditionalCheckFailed'
  );
}

/** What identifies a request under its key: the message as stored (the draft's "fingerprint"). */
function fingerprintOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const nowInSeconds = () => Math.floor(Date.now() / 1000);

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

  /**
   * Stores a message and counts it, in one transaction. With an idempotency key the same
   * transaction records the key (unless a live record of it exists), so that a message, its count
   * and its key are written together or not at all: a retry after any failure either finds the key
   * with the first result or stores the message now, never twice. A concurrent request with the
   * same key loses the key's condition and answers with the winner's result.
   */
  async create(text: string, idempotencyKey?: string): Promise<Message> {
    const message: Message = {
      id: randomUUID(),
      message: text,
      createdAt: new Date().toISOString(),
    };
    const fingerprint = fingerprintOf(text);
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
          ...(idempotencyKey === undefined
            ? []
            : [{ Put: this.keyRecord(idempotencyKey, message, fingerprint) }]),
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
        if (idempotencyKey !== undefined && isKeyTaken(error)) {
          const first = await this.firstResult(idempotencyKey, fingerprint, text);
          if (first !== undefined) {
            logger.debug('idempotency key seen: answering with the first result', {
              id: first.id,
            });
            return first;
          }
          // The key's record expired between the transaction and the read: it is free now.
          if (Date.now() < giveUpAt) continue;
        }
        if (isTransactionConflict(error) && Date.now() < giveUpAt) {
          logger.debug('transaction conflict on the counter, retrying', { attempt: attempt + 1 });
          await backoff(attempt);
          continue;
        }
        throw this.translate(error, 'store the message');
      }
    }
  }

  /** The key's record, written only if the key is unused or its record has expired. */
  private keyRecord(key: string, message: Message, fingerprint: string) {
    const now = nowInSeconds();
    return {
      TableName: this.tableName,
      Item: {
        [TABLE_KEY.partitionKey]: { S: `${IDEMPOTENCY_ITEM_PREFIX}${key}` },
        messageId: { S: message.id },
        createdAt: { S: message.createdAt },
        fingerprint: { S: fingerprint },
        [TABLE_TTL_ATTRIBUTE]: { N: String(now + IDEMPOTENCY_KEY_TTL_SECONDS) },
      },
      // TTL deletes expired items lazily (within days), so an expired record counts as absent.
      ConditionExpression: 'attribute_not_exists(#id) OR #expires <= :now',
      ExpressionAttributeNames: { '#id': TABLE_KEY.partitionKey, '#expires': TABLE_TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':now': { N: String(now) } },
    };
  }

  /**
   * The result of the create that first used `key`, when its record is still live; refuses a key
   * used for another message (the draft's 422). Undefined when the record has expired or is gone.
   */
  private async firstResult(
    key: string,
    fingerprint: string,
    text: string,
  ): Promise<Message | undefined> {
    let record: Record<string, { S?: string; N?: string }> | undefined;
    try {
      ({ Item: record } = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [TABLE_KEY.partitionKey]: { S: `${IDEMPOTENCY_ITEM_PREFIX}${key}` } },
          ConsistentRead: true,
        }),
      ));
    } catch (error: unknown) {
      throw this.translate(error, 'read the idempotency key');
    }
    if (record === undefined || Number(record[TABLE_TTL_ATTRIBUTE]?.N) <= nowInSeconds()) {
      return undefined;
    }
    if (record.fingerprint?.S !== fingerprint) {
      throw new ClientError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was sent before with another message; send a new key for a new message',
      );
    }
    return {
      id: String(record.messageId?.S),
      message: text,
      createdAt: String(record.createdAt?.S),
    };
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
