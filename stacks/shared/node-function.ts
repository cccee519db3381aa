import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import type { LambdaBundle } from '../../bundling/lambda';
import type { FunctionSettings } from '../../contract/function';
import type { LogLevel } from '../../contract/logs';
import { assumeRolePolicy, policyDocument, type PolicyStatement } from './iam';
import { LogGroup } from './log-group';

export interface NodeFunctionProps {
  readonly functionName: string;
  readonly roleName: string;
  readonly bundle: LambdaBundle;
  readonly environment: Record<string, string>;
  /** What the function may do besides writing its own logs. */
  readonly statements: readonly PolicyStatement[];
  readonly logLevel: LogLevel;
  readonly logRetentionDays: number;
  /** Runtime, architecture, memory, timeout, Node options: the local system runs the same. */
  readonly settings: FunctionSettings;
}

/**
 * The house Lambda: Node.js 22 on arm64 (about 20% cheaper than x86 for the same duration), JSON
 * logs through advanced logging controls to a log group with retention, source maps on, a role
 * that may write only to its own log group plus the statements given.
 */
export class NodeFunction extends Construct {
  public readonly function: LambdaFunction;
  public readonly role: IamRole;
  public readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'logs', {
      name: `/aws/lambda/${props.functionName}`,
      retentionDays: props.logRetentionDays,
    }).group;
    this.logGroupName = logGroup.name;

    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com'),
    });
    new IamRolePolicy(this, 'policy', {
      role: this.role.id,
      name: 'least-privilege',
      policy: policyDocument([
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${logGroup.arn}:*`,
        },
        ...props.statements,
      ]),
    });

    // A hash-named asset: new code is a new path and hash, unchanged code is no diff. The zip is
    // built with the bundle (bundling/zip.ts), so synth copies one file instead of zipping.
    const code = new TerraformAsset(this, 'code', {
      path: props.bundle.zipFile,
      type: AssetType.FILE,
    });
    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      role: this.role.arn,
      runtime: props.settings.runtime,
      architectures: [props.settings.architecture],
      handler: props.bundle.handler,
      filename: code.path,
      // Only a change sentinel for the provider (terraform-provider-aws issue 40095): the asset's
      // content hash serves, and the zip is deterministic.
      sourceCodeHash: code.assetHash,
      memorySize: props.settings.memoryMb,
      timeout: props.settings.timeoutSeconds,
      environment: {
        variables: { NODE_OPTIONS: props.settings.nodeOptions, ...props.environment },
      },
      loggingConfig: {
        logFormat: 'JSON',
        logGroup: logGroup.name,
        // Lambda drops application lines below this level, and Powertools adopts it too
        // (AWS_LAMBDA_LOG_LEVEL wins over POWERTOOLS_LOG_LEVEL): the environment gets the same value.
        applicationLogLevel: props.logLevel,
        systemLogLevel: 'WARN',
      },
      dependsOn: [logGroup],
    });
  }
}
