import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { Construct } from 'constructs';
import { TABLE_KEY, TABLE_TTL_ATTRIBUTE } from '../../contract/function';

export interface MessagesTableProps {
  readonly tableName: string;
  readonly deletionProtection: boolean;
}

/**
 * The messages, their counter item and the idempotency keys of recent creates, keyed by `id`. On-demand: the traffic of a small app is
 * spiky and mostly idle, and on-demand costs nothing while idle.
 */
export class MessagesTable extends Construct {
  public readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: MessagesTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, 'table', {
      name: props.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: TABLE_KEY.partitionKey,
      attribute: [{ name: TABLE_KEY.partitionKey, type: TABLE_KEY.type }],
      pointInTimeRecovery: { enabled: true },
      // The AWS managed key (aws/dynamodb) instead of the invisible AWS owned one: key use shows in
      // CloudTrail, and DynamoDB caches the table key, so KMS requests stay a few an hour.
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: props.deletionProtection,
      // Idempotency keys carry their expiry; DynamoDB deletes them after it at no cost.
      ttl: { attributeName: TABLE_TTL_ATTRIBUTE, enabled: true },
    });
  }
}
