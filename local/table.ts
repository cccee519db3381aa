import {
  CreateTableCommand,
  ResourceInUseException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TABLE_KEY } from '../contract/function';

/** Creates the messages table with the key schema the stack uses; does nothing if it exists. */
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
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
