import { block } from '@monitored/terraform-json';
import type { PolicyRule } from '../types';

export const dynamodbPitr: PolicyRule = {
  id: 'dynamodb-pitr',
  description: 'Every table has point-in-time recovery on',
  resourceTypes: ['aws_dynamodb_table'],
  check(table) {
    return block(table.config.point_in_time_recovery)?.enabled === true
      ? undefined
      : 'point-in-time recovery is off';
  },
};
