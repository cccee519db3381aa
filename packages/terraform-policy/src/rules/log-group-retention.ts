import type { PolicyRule } from '../types';

export const logGroupRetention: PolicyRule = {
  id: 'log-group-retention',
  description: 'Every log group has a retention period',
  resourceTypes: ['aws_cloudwatch_log_group'],
  check(group) {
    const days = group.config.retention_in_days;
    return typeof days === 'number' && days > 0
      ? undefined
      : 'no retention_in_days: logs would be kept (and billed) forever';
  },
};
