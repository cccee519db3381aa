/**
 * The three stacks (dev, prod, bootstrap) as they would stand in one AWS account: synthesized as
 * `cdktf synth` writes them, every Terraform reference resolved to a value shaped as AWS makes it
 * (bucket names with Terraform's 26-character suffix, CloudFront ids, KMS key ids), and every
 * policy they hold read back: identity and inline role policies, trust policies, the permissions
 * boundaries, KMS key policies, the SNS topic policies and the S3 bucket policies.
 */
import { createHash } from 'node:crypto';
import { Testing } from 'cdktf';
import {
  TerraformResolver,
  type ComputedAttribute,
  type Json,
  type TerraformJson,
} from '@monitored/terraform-json';
import { BootstrapStack } from '../../../stacks/bootstrap/bootstrap-stack';
import { STAGES, type Stage } from '../../../stacks/config';
import { buildStage, stageJson, TEST_CONFIGS, TEST_TODAY, testApp } from '../synth';
import { workerMemo } from '../worker-memo';

export const ACCOUNT = '123456789012';
/** An account that is not the stages': another team's, or an attacker's. */
export const OTHER_ACCOUNT = '210987654321';
/** The repository the bootstrap stack's deploy roles trust in these tests. */
export const REPOSITORY = 'octo-org/octo-repo';

export type StackName = Stage | 'bootstrap';
export type PolicyKind = 'identity' | 'trust' | 'boundary' | 'key' | 'topic' | 'bucket';

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, Json>[];
}

/** One policy as deployed, with where it comes from. */
export interface DeployedPolicy {
  readonly stack: StackName;
  /** The Terraform address: `aws_iam_role_policy.deploy-dev_policy_032AC4A0`. */
  readonly address: string;
  readonly kind: PolicyKind;
  readonly document: PolicyDocument;
  /** The ARN of what the policy is attached to: the role, key, topic or bucket. */
  readonly attachedTo: string;
  /** For a trust policy of a role trusting an OIDC provider: that provider's host. */
  readonly oidcHost?: string;
}

export interface DeployedRole {
  readonly name: string;
  readonly arn: string;
  readonly trust: PolicyDocument;
  readonly inline: readonly { readonly name: string; readonly document: PolicyDocument }[];
  /** The permissions boundary's document, when the role has one. */
  readonly boundary?: PolicyDocument;
  readonly boundaryArn?: string;
}

export interface DeployedAccount {
  readonly policies: readonly DeployedPolicy[];
  readonly roles: ReadonlyMap<string, DeployedRole>;
  /** The resource policy that governs `arn` (a bucket's for its objects too), if any. */
  resourcePolicyFor(arn: string): PolicyDocument | undefined;
  /** A resolved attribute of the one resource of `type` in `stack` whose configuration `where` picks. */
  attribute(
    stack: StackName,
    type: string,
    where: (config: Record<string, Json>) => boolean,
    attribute: string,
  ): string;
}

type Stack = TerraformJson & {
  resource: Record<string, Record<string, Record<string, Json>>>;
  provider?: { aws?: Record<string, Json>[] };
};

/** Hex digits that depend only on `seed`, so every run makes up the same ids. */
function digest(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

function uuid(seed: string): string {
  const hex = digest(seed);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Stand-ins for what AWS and Terraform compute, shaped as they shape it: a bucket_prefix completed
 * with 26 digits (Terraform's unique suffix), a CloudFront id of 14 upper-case characters, an API
 * id of 10 lower-case ones, a KMS key id as a UUID.
 */
function awsStandIns(
  stackName: StackName,
  regionOf: (config: Record<string, Json>) => string,
): ComputedAttribute {
  return (type, resourceName, attribute, config) => {
    // Ids differ between stacks, as AWS makes them: the same construct in dev and prod is two resources.
    const name = `${stackName}/${resourceName}`;
    const region = regionOf(config);
    const arn = (service: string, resource: string) =>
      `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
    const bucketName = () =>
      `${String(config.bucket_prefix)}${BigInt(`0x${digest(name).slice(0, 20)}`)
        .toString()
        .padStart(26, '0')
        .slice(-26)}`;
    const distributionId = () => `E${digest(name).slice(0, 13).toUpperCase()}`;
    const apiId = () => digest(name).slice(0, 10);
    switch (`${type}.${attribute}`) {
      case 'data.aws_caller_identity.account_id':
        return ACCOUNT;
      case 'aws_s3_bucket.id':
      case 'aws_s3_bucket.bucket':
        return bucketName();
      case 'aws_s3_bucket.arn':
        return `arn:aws:s3:::${bucketName()}`;
      case 'aws_s3_bucket.bucket_regional_domain_name':
        return `${bucketName()}.s3.${region}.amazonaws.com`;
      case 'aws_cloudfront_distribution.id':
        return distributionId();
      case 'aws_cloudfront_distribution.arn':
        return `arn:aws:cloudfront::${ACCOUNT}:distribution/${distributionId()}`;
      case 'aws_cloudfront_distribution.domain_name':
        return `d${digest(name).slice(0, 13)}.cloudfront.net`;
      case 'aws_cloudfront_origin_access_control.id':
      case 'aws_cloudfront_response_headers_policy.id':
        return uuid(name);
      case 'aws_kms_key.key_id':
        return uuid(name);
      case 'aws_kms_key.arn':
        return arn('kms', `key/${uuid(name)}`);
      case 'aws_sns_topic.arn':
      case 'aws_sns_topic.id':
        return arn('sns', String(config.name));
      case 'aws_iam_role.arn':
        return `arn:aws:iam::${ACCOUNT}:role/${String(config.name)}`;
      case 'aws_iam_role.id':
        return String(config.name);
      case 'aws_iam_policy.arn':
        return `arn:aws:iam::${ACCOUNT}:policy/${String(config.name)}`;
      case 'aws_iam_openid_connect_provider.arn':
        return `arn:aws:iam::${ACCOUNT}:oidc-provider/${String(config.url).replace(/^https:\/\//, '')}`;
      case 'aws_cloudwatch_log_group.arn':
        return arn('logs', `log-group:${String(config.name)}`);
      case 'aws_dynamodb_table.arn':
        return arn('dynamodb', `table/${String(config.name)}`);
      case 'aws_lambda_function.arn':
        return arn('lambda', `function:${String(config.function_name)}`);
      case 'aws_apigatewayv2_api.id':
        return apiId();
      case 'aws_apigatewayv2_api.api_endpoint':
        return `https://${apiId()}.execute-api.${region}.amazonaws.com`;
      case 'aws_apigatewayv2_api.execution_arn':
        return arn('execute-api', apiId());
      case 'aws_synthetics_canary.engine_arn':
        return arn('lambda', `function:cwsyn-${String(config.name)}-${uuid(name)}:1`);
      case 'aws_cloudwatch_metric_alarm.arn':
      case 'aws_cloudwatch_composite_alarm.arn':
        return arn('cloudwatch', `alarm:${String(config.alarm_name)}`);
      default:
        return undefined;
    }
  };
}

function regionResolver(stack: Stack): (config: Record<string, Json>) => string {
  const regions = new Map<string, string>();
  for (const provider of stack.provider?.aws ?? []) {
    const alias = typeof provider.alias === 'string' ? `aws.${provider.alias}` : 'aws';
    regions.set(alias, String(provider.region));
  }
  return (config) => {
    const region = regions.get(typeof config.provider === 'string' ? config.provider : 'aws');
    if (region === undefined) throw new Error(`no region for provider ${String(config.provider)}`);
    return region;
  };
}

function parsePolicy(value: Json): PolicyDocument {
  const document = typeof value === 'string' ? (JSON.parse(value) as PolicyDocument) : value;
  if (document === null || typeof document !== 'object' || !('Statement' in document)) {
    throw new Error(`not a policy document: ${JSON.stringify(value)}`);
  }
  const statements = (document as { Statement: unknown }).Statement;
  return {
    ...(document as PolicyDocument),
    Statement: (Array.isArray(statements) ? statements : [statements]) as Record<string, Json>[],
  };
}

class Account implements DeployedAccount {
  public readonly policies: DeployedPolicy[] = [];
  public readonly roles = new Map<string, DeployedRole>();
  private readonly resourcePolicies = new Map<string, PolicyDocument>();
  private readonly resolvers = new Map<StackName, { stack: Stack; resolver: TerraformResolver }>();

  constructor(stacks: ReadonlyMap<StackName, Stack>) {
    for (const [name, stack] of stacks) {
      this.resolvers.set(name, {
        stack,
        resolver: new TerraformResolver(stack, awsStandIns(name, regionResolver(stack))),
      });
    }
    for (const name of stacks.keys()) this.readPolicies(name);
    this.linkRoles();
  }

  resourcePolicyFor(arn: string): PolicyDocument | undefined {
    const bucket = /^arn:aws:s3:::([^/]+)/.exec(arn);
    return this.resourcePolicies.get(bucket !== null ? `arn:aws:s3:::${bucket[1]}` : arn);
  }

  attribute(
    stackName: StackName,
    type: string,
    where: (config: Record<string, Json>) => boolean,
    attribute: string,
  ): string {
    const { stack, resolver } = this.at(stackName);
    const names = Object.entries(stack.resource[type] ?? {})
      .filter(([, config]) => where(config))
      .map(([name]) => name);
    if (names.length !== 1) {
      throw new Error(`expected one ${type} in ${stackName}, found ${names.length}`);
    }
    return String(resolver.attribute(type, names[0], attribute));
  }

  private at(name: StackName) {
    const found = this.resolvers.get(name);
    if (found === undefined) throw new Error(`no stack ${name}`);
    return found;
  }

  private readPolicies(stackName: StackName): void {
    const { stack, resolver } = this.at(stackName);
    const each = (type: string, read: (name: string, config: Record<string, Json>) => void) => {
      for (const [name, config] of Object.entries(stack.resource[type] ?? {})) read(name, config);
    };
    const add = (policy: Omit<DeployedPolicy, 'stack'>) =>
      this.policies.push({ stack: stackName, ...policy });
    const resolved = (value: Json) => parsePolicy(resolver.resolve(value));

    each('aws_iam_role', (name) => {
      const arn = String(resolver.attribute('aws_iam_role', name, 'arn'));
      const document = resolved(stack.resource.aws_iam_role[name].assume_role_policy);
      const federated = document.Statement.map(
        (statement) => (statement.Principal as { Federated?: string } | undefined)?.Federated,
      ).find((provider) => provider !== undefined);
      add({
        address: `aws_iam_role.${name}`,
        kind: 'trust',
        document,
        attachedTo: arn,
        oidcHost: federated?.replace(/^arn:aws:iam::\d+:oidc-provider\//, ''),
      });
    });
    each('aws_iam_role_policy', (name, config) => {
      const roleName = String(resolver.resolve(config.role));
      add({
        address: `aws_iam_role_policy.${name}`,
        kind: 'identity',
        document: resolved(config.policy),
        attachedTo: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
      });
    });
    each('aws_iam_policy', (name, config) => {
      add({
        address: `aws_iam_policy.${name}`,
        kind: 'boundary',
        document: resolved(config.policy),
        attachedTo: String(resolver.attribute('aws_iam_policy', name, 'arn')),
      });
    });
    each('aws_kms_key', (name, config) => {
      const arn = String(resolver.attribute('aws_kms_key', name, 'arn'));
      add({
        address: `aws_kms_key.${name}`,
        kind: 'key',
        document: resolved(config.policy),
        attachedTo: arn,
      });
    });
    each('aws_sns_topic_policy', (name, config) => {
      add({
        address: `aws_sns_topic_policy.${name}`,
        kind: 'topic',
        document: resolved(config.policy),
        attachedTo: String(resolver.resolve(config.arn)),
      });
    });
    each('aws_s3_bucket_policy', (name, config) => {
      add({
        address: `aws_s3_bucket_policy.${name}`,
        kind: 'bucket',
        document: resolved(config.policy),
        attachedTo: `arn:aws:s3:::${String(resolver.resolve(config.bucket))}`,
      });
    });
  }

  private linkRoles(): void {
    for (const policy of this.policies) {
      if (['key', 'topic', 'bucket'].includes(policy.kind)) {
        this.resourcePolicies.set(policy.attachedTo, policy.document);
      }
    }
    for (const [stackName, { stack, resolver }] of this.resolvers) {
      for (const [name, config] of Object.entries(stack.resource.aws_iam_role ?? {})) {
        const roleName = String(config.name);
        const arn = `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
        const boundaryArn =
          config.permissions_boundary === undefined
            ? undefined
            : String(resolver.resolve(config.permissions_boundary));
        const boundary =
          boundaryArn === undefined
            ? undefined
            : this.policies.find((p) => p.kind === 'boundary' && p.attachedTo === boundaryArn);
        if (boundaryArn !== undefined && boundary === undefined) {
          throw new Error(
            `${stackName}: role ${roleName} names a boundary no stack creates: ${boundaryArn}`,
          );
        }
        const trust = this.policies.find(
          (p) => p.kind === 'trust' && p.address === `aws_iam_role.${name}`,
        );
        this.roles.set(roleName, {
          name: roleName,
          arn,
          trust: trust!.document,
          inline: this.policies
            .filter((p) => p.kind === 'identity' && p.attachedTo === arn)
            .map((p) => ({ name: p.address, document: p.document })),
          boundary: boundary?.document,
          boundaryArn,
        });
      }
    }
  }
}

function synthesize(stack: ReturnType<typeof buildStage> | BootstrapStack): Stack {
  return JSON.parse(Testing.synth(stack)) as Stack;
}

/** Builds the bootstrap stack as main.ts does, trusting `repository`. */
export function buildBootstrap(repository: string = REPOSITORY): BootstrapStack {
  return new BootstrapStack(testApp(), 'bootstrap', {
    region: 'us-east-1',
    stages: STAGES.map((stage) => TEST_CONFIGS[stage]),
    githubRepository: repository,
    today: TEST_TODAY,
  });
}

/** The bootstrap stack alone, trusting `repository`: its deploy roles' trust policies. */
export function bootstrapAccount(repository: string): DeployedAccount {
  return new Account(
    new Map<StackName, Stack>([['bootstrap', synthesize(buildBootstrap(repository))]]),
  );
}

let cached: DeployedAccount | undefined;

/** The account with all three stacks deployed, built once per test file from stacks synthesized once per worker. */
export function deployedAccount(): DeployedAccount {
  cached ??= new Account(
    new Map<StackName, Stack>([
      ['dev', stageJson('dev') as Stack],
      ['prod', stageJson('prod') as Stack],
      [
        'bootstrap',
        workerMemo(`bootstrap of ${REPOSITORY} on ${TEST_TODAY.toISOString()}`, () =>
          synthesize(buildBootstrap()),
        ),
      ],
    ]),
  );
  return cached;
}
