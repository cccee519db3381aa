import { APP_NAME, physicalName } from './naming';

/**
 * IAM policy documents as plain JSON. Tokens (ARNs) inside resolve to Terraform references, and the
 * policy rules can read the synthesized document back.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Principal?: Record<string, string | readonly string[]> | '*';
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: service } }],
  });
}

/**
 * The deploy role of a stage, `msgs-deploy-dev`: outside the stage's own `msgs-dev-` prefix, so
 * that the role's grants on the stage's roles never reach the deploy role itself.
 */
export function deployRoleName(stage: string): string {
  return physicalName(APP_NAME, `deploy-${stage}`, 'iamRole');
}

/**
 * The permissions boundary every role of a stage carries, `msgs-boundary-dev`: the most any role
 * the stage's deploy role creates may ever do. The bootstrap stack owns it, out of the deploy
 * role's reach, so that a deploy role cannot widen what the roles it creates may do.
 */
export function permissionsBoundaryName(stage: string): string {
  return physicalName(APP_NAME, `boundary-${stage}`, 'iamPolicy');
}

/** `arn:aws:iam::<account>:role/<name>`; IAM is global, so no region. */
export function roleArn(accountId: string, name: string): string {
  return `arn:aws:iam::${accountId}:role/${name}`;
}

/** `arn:aws:iam::<account>:policy/<name>`. */
export function managedPolicyArn(accountId: string, name: string): string {
  return `arn:aws:iam::${accountId}:policy/${name}`;
}
