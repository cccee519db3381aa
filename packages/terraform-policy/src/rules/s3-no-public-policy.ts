import { isEveryone, statementsOf } from '../iam-statements';
import type { PolicyRule } from '../types';

export const s3NoPublicPolicy: PolicyRule = {
  id: 's3-no-public-policy',
  description: 'No bucket policy allows everyone (Principal "*") without a condition',
  resourceTypes: ['aws_s3_bucket_policy'],
  check(policy) {
    const open = statementsOf(policy.config.policy).find(
      (statement) =>
        statement.effect === 'Allow' &&
        isEveryone(statement.principal) &&
        statement.condition === undefined,
    );
    return open === undefined
      ? undefined
      : `allows ${open.actions.join(', ')} to everyone (Principal "*")`;
  },
};
