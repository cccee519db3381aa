import {
  CreateTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TABLE_KEY, TABLE_TTL_ATTRIBUTE } from '../contract/function';

/**
 * Creates the messages table with the key schema and TTL attribute the stack uses; does nothing if
 * it exists.
 */
export async function ensureMessagesTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: TABLE_KEY.partitionKey, AttributeType: TABLE_KEY.type },
        ],
      }),
    );
  } catch (error: unknown) {
    if (error instanceof ResourceInUseException) return;
    throw error;
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE_TTL_ATTRIBUTE, Enabled: true },
    }),
  );
}
