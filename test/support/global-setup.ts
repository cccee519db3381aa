import { ensureDynamoDbLocal } from '../../scripts/ensure-dynamodb-local';
import { DynamoDbLocal } from '../../local/dynamodb-local';
import { freePort } from '../../local/ports';

/** One in-memory DynamoDB Local for the whole run; each test file uses tables of its own. */
export default async function globalSetup(): Promise<void> {
  await ensureDynamoDbLocal();
  const dynamodb = await DynamoDbLocal.start({ port: await freePort() });
  (globalThis as { __dynamodb?: DynamoDbLocal }).__dynamodb = dynamodb;
  // Workers start after this and inherit the variable.
  process.env.TEST_DYNAMODB_ENDPOINT = dynamodb.endpoint;
}
