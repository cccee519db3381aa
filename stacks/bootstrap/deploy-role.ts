import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { policyDocument } from '@monitored/cdktf-monitoring';
import { deployPolicyStatements, type DeployScope } from './deploy-permissions';
import { environmentSubject, GITHUB_OIDC_HOST, STS_AUDIENCE } from './github-oidc';

export interface DeployRoleProps {
  /** The role's name; it must not start with the stage's prefix, or the role could edit itself. */
  readonly roleName: string;
  /** What the role may reach: the stage, its region and prefix, the state bucket. */
  readonly scope: DeployScope;
  /** ARN of the account's GitHub OIDC provider. */
  readonly oidcProviderArn: string;
  /** The repository part of the `sub` claim (`owner/repo`); a Terraform reference works too. */
  readonly repository: string;
  /** The GitHub environment whose jobs may assume the role. @default the stage's name */
  readonly environment?: string;
  /** @default the stack's default AWS provider */
  readonly provider?: AwsProvider;
}

/**
 * The role a stage's pipeline job assumes with its GitHub OIDC token: only a job of this
 * repository that runs in the stage's GitHub environment (StringEquals on `sub`, never
 * StringLike), asking for the STS audience, and only for what a deploy of that stage needs.
 */
export class DeployRole extends Construct {
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: DeployRoleProps) {
    super(scope, id);
    if (props.roleName.startsWith(`${props.scope.namePrefix}-`)) {
      throw new Error(
        `${this.node.path}: the deploy role "${props.roleName}" starts with "${props.scope.namePrefix}-", so its own permissions would let it rewrite itself`,
      );
    }
    const environment = props.environment ?? props.scope.stage;
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `Deploys the ${props.scope.stage} stage from GitHub Actions (environment ${environment})`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'GitHubActionsInTheStageEnvironment',
            Effect: 'Allow',
            Principal: { Federated: props.oidcProviderArn },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
                [`${GITHUB_OIDC_HOST}:sub`]: environmentSubject(props.repository, environment),
              },
            },
          },
        ],
      }),
      provider: props.provider,
    });
    new IamRolePolicy(this, 'policy', {
      role: this.role.id,
      name: 'deploy',
      policy: policyDocument(deployPolicyStatements(props.scope)),
      provider: props.provider,
    });
  }
}
