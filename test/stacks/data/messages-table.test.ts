import { TABLE_TTL_ATTRIBUTE } from '../../../contract/function';
import { MessagesTable } from '../../../stacks/data/messages-table';
import { synthScope } from '../../support/synth';

describe('MessagesTable', () => {
  const synthTable = (deletionProtection: boolean) =>
    synthScope((scope) => {
      new MessagesTable(scope, 'messages', { tableName: 'msgs-test-messages', deletionProtection });
    }).only('aws_dynamodb_table');

  it('is on-demand with a string partition key `id`', () => {
    expect(synthTable(false)).toMatchObject({
      name: 'msgs-test-messages',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'id',
      attribute: [{ name: 'id', type: 'S' }],
    });
  });

  it('has point-in-time recovery and server-side encryption on', () => {
    const table = synthTable(false);
    expect(table.point_in_time_recovery).toEqual({ enabled: true });
    expect(table.server_side_encryption).toEqual({ enabled: true });
  });

  it.each([true, false])('has deletion protection %s when asked', (deletionProtection) => {
    expect(synthTable(deletionProtection).deletion_protection_enabled).toBe(deletionProtection);
  });

  it('expires items by their TTL attribute, so idempotency keys are deleted after they lapse', () => {
    expect(TABLE_TTL_ATTRIBUTE).toBe('expiresAt');
    expect(synthTable(false).ttl).toEqual({ attribute_name: 'expiresAt', enabled: true });
  });
});
