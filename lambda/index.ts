import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FUNCTION_ENV } from '../contract/function';
import { optionalEnv, requireEnv } from './env';
import { createHandler } from './handler';
import { MessageStore } from './message-store';

// Bounded time per call, so a request fails in under 3 s when DynamoDB is unreachable instead of
// hanging until the function's timeout: 3 attempts of at most 800 ms plus the SDK's short backoff.
// By default a request timeout only logs a warning; throwOnRequestTimeout makes it an error.
const client = new DynamoDBClient({
  endpoint: optionalEnv(FUNCTION_ENV.dynamodbEndpoint),
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 500, requestTimeout: 800, throwOnRequestTimeout: true },
});

export const handler = createHandler(new MessageStore(client, requireEnv(FUNCTION_ENV.tableName)));
