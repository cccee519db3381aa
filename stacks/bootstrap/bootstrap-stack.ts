import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Aspects, Fn, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import type { Stage, StageConfig } from '../config';
import { PolicyChecks } from '../policy/policy-checks';
import { deployRoleName, permissionsBoundaryName } from '../shared/iam';
import { APP_NAME } from '../shared/naming';
import { physicalName } from '@monitored/cdktf-monitoring';
import { DeployRole } from './deploy-role';
import { GithubOidcProvider } from './github-oidc-provider';
import { GITHUB_REPOSITORY_PATTERN } from './github-oidc';
import { PermissionsBoundary } from './permissions-boundary';
import { StateBucket } from './state-bucket';

/** The stack's id: `npx cdktf deploy bootstrap`. */
export const BOOTSTRAP_STACK = 'bootstrap';

/** The Terraform variable holding the repository the deploy roles trust. */
export const GITHUB_REPOSITORY_VARIABLE = 'github_repository';

/** The output naming a stage's deploy role: the pipeline's repository variable takes its value. */
export function deployRoleOutput(stage: Stage): string {
  return `deploy_role_arn_${stage}`;
}

export { deployRoleName };

export interface BootstrapStackProps {
  /** The region of the state bucket (TF_STATE_REGION); IAM is global. */
  readonly region: string;
  /** The stages that get a deploy role. */
  readonly stages: readonly StageConfig[];
  /**
   * The repository part of the deploy roles' `sub` condition (`owner/repo`). main.ts passes
   * GITHUB_REPOSITORY; without it synth still works, and deploying this stack fails at plan with
   * a message naming the variable. @default none
   */
  readonly githubRepository?: string;
  /** The day the policy rules judge by. */
  readonly today: Date;
  /** Runtimes the policy rules accept past their deprecation date. @default none */
  readonly acceptDeprecatedRuntimes?: readonly string[];
}

/**
 * What the stages need before their first deploy, deployed once by hand with administrator
 * credentials: the state bucket, the account's trust in GitHub's OIDC tokens, and per stage a
 * deploy role and the permissions boundary every role of the stage carries. A stage's plan reads
 * its boundary, so it stops, before creating anything, in an account without this stack.
 */
export class BootstrapStack extends TerraformStack {
  public readonly stateBucket: StateBucket;
  public readonly oidcProvider: GithubOidcProvider;
  public readonly deployRoles: Readonly<Partial<Record<Stage, DeployRole>>>;
  public readonly permissionsBoundaries: Readonly<Partial<Record<Stage, PermissionsBoundary>>>;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    new AwsProvider(this, 'aws', {
      region: props.region,
      defaultTags: [{ tags: { app: APP_NAME, stage: BOOTSTRAP_STACK, 'managed-by': 'cdktf' } }],
    });
    const account = new DataAwsCallerIdentity(this, 'account');

    // A Terraform variable rather than a synth-time value, so that synth never needs it and a
    // deploy without it stops at plan, before anything is created, saying what to set.
    const repository = new TerraformVariable(this, GITHUB_REPOSITORY_VARIABLE, {
      type: 'string',
      default: props.githubRepository ?? '',
      description:
        'The repository whose workflows deploy, as its OIDC sub claim spells it: owner/repo, or owner@<owner id>/repo@<repository id>. main.ts sets it from GITHUB_REPOSITORY.',
    });
    repository.addValidation({
      condition: Fn.can(Fn.regex(GITHUB_REPOSITORY_PATTERN, repository.stringValue)),
      errorMessage:
        'Set GITHUB_REPOSITORY to the repository whose workflows deploy (owner/repo, or owner@<owner id>/repo@<repository id> for immutable subject claims) when you run cdktf deploy bootstrap.',
    });

    this.stateBucket = new StateBucket(this, 'state', {
      bucketPrefix: physicalName(APP_NAME, 'tfstate', 's3BucketPrefix'),
    });
    this.oidcProvider = new GithubOidcProvider(this, 'github');

    const roles: Partial<Record<Stage, DeployRole>> = {};
    const boundaries: Partial<Record<Stage, PermissionsBoundary>> = {};
    for (const config of props.stages) {
      const boundary = new PermissionsBoundary(this, `boundary-${config.stage}`, {
        name: permissionsBoundaryName(config.stage),
        scope: {
          region: config.region,
          namePrefix: config.namePrefix,
          accountId: account.accountId,
        },
      });
      boundaries[config.stage] = boundary;
      const deployRole = new DeployRole(this, `deploy-${config.stage}`, {
        roleName: deployRoleName(config.stage),
        scope: {
          stage: config.stage,
          region: config.region,
          namePrefix: config.namePrefix,
          accountId: account.accountId,
          stateBucketArn: this.stateBucket.bucket.arn,
          permissionsBoundaryArn: boundary.policy.arn,
        },
        oidcProviderArn: this.oidcProvider.provider.arn,
        repository: repository.stringValue,
      });
      roles[config.stage] = deployRole;
      new TerraformOutput(this, deployRoleOutput(config.stage), {
        value: deployRole.role.arn,
        description: `The repository variable the ${config.stage} deploy job assumes`,
      });
    }
    this.deployRoles = roles;
    this.permissionsBoundaries = boundaries;

    new TerraformOutput(this, 'state_bucket', {
      value: this.stateBucket.bucket.bucket,
      description: 'TF_STATE_BUCKET: where the stages keep their state',
    });
    new TerraformOutput(this, 'state_region', {
      value: props.region,
      description: 'TF_STATE_REGION: the state bucket region',
    });

    Aspects.of(this).add(
      new PolicyChecks({
        today: props.today,
        acceptDeprecatedRuntimes: props.acceptDeprecatedRuntimes,
      }),
    );
  }
}
