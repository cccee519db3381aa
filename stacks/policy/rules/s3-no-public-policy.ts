import { statementsOf, strings, type PolicyRule } from '../rule';

function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal === 'object' && principal !== null && 'AWS' in principal) {
    return strings((principal as { AWS: string | string[] }).AWS).includes('*');
  }
  return false;
}

export const s3NoPublicPolicy: PolicyRule = {
  id: 's3-no-public-policy',
  description: 'No bucket policy allows everyone (Principal "*") without a condition',
  resourceTypes: ['aws_s3_bucket_policy'],
  check(policy) {
    const open = statementsOf(policy.config.policy).find(
      (statement) =>
        statement.Effect === 'Allow' &&
        isEveryone(statement.Principal) &&
        statement.Condition === undefined,
    );
    return open === undefined
      ? undefined
      : `allows ${strings(open.Action).join(', ')} to everyone (Principal "*")`;
  },
};
