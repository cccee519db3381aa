import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SyntheticsCanary } from '@cdktf/provider-aws/lib/synthetics-canary';
import { Fn, type ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { FileAsset } from './file-asset';
import { LogGroup } from './log-group';
import { lambdaLogGroupName } from './physical-name';
import type { CanarySchedule } from '@monitored/cloudwatch-model';

/** A built canary script: its zip and the handler in it. */
export interface CanaryCode {
  /** The zip Synthetics runs, laid out as the runtime loads it (`nodejs/node_modules/<name>.js`). */
  readonly zipFile: string;
  /** `<file>.<function>`, e.g. `api.handler`. */
  readonly handler: string;
}

export interface CanaryProps {
  /** From `physicalName(…, 'canary')`: at most 21 characters of [0-9a-z_-]. */
  readonly name: string;
  readonly bundle: CanaryCode;
  /** A `syn-nodejs-puppeteer-*` runtime (SYNTHETICS_RUNTIMES in @monitored/cloudwatch-model). */
  readonly runtime: string;
  readonly schedule: CanarySchedule;
  readonly executionRoleArn: string;
  /** `s3://<bucket>/<prefix>/`: where each run writes its artifacts. */
  readonly artifactS3Location: string;
  /** The run's environment: references to the stage's resources. */
  readonly environment: Readonly<Record<string, string>>;
  /** Days CloudWatch keeps the runs' logs, and Synthetics the runs' history. */
  readonly retentionDays: number;
  /** What must exist before the first run: the role's permissions. */
  readonly dependsOn: readonly ITerraformDependable[];
  /** @default the stack's default AWS provider */
  readonly provider?: AwsProvider;
}

/**
 * One CloudWatch Synthetics canary, started and running on its schedule, with the log group its
 * runs write to owned by the stack.
 *
 * The log group's name holds an id AWS makes when it creates the canary's Lambda
 * (`/aws/lambda/cwsyn-<name>-<uuid>`), so it is named from the canary's `engine_arn`, whose 7th
 * `:`-field is that Lambda's name. The execution role may not create log groups, so the runs
 * cannot make one of their own that never expires and outlives the stack; the lines of the first
 * run, before the group exists (seconds), are lost. https://github.com/aws/aws-cdk/issues/23718
 */
export class Canary extends Construct {
  public readonly canary: SyntheticsCanary;
  /** The canary's name: the `CanaryName` dimension of its metrics. */
  public readonly name: string;
  public readonly schedule: CanarySchedule;
  /** The Lambda function AWS makes for the canary, `cwsyn-<name>-<uuid>`: known after it is created. */
  public readonly functionName: string;
  /** `/aws/lambda/cwsyn-<name>-<uuid>`, known after the canary is created. */
  public readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: CanaryProps) {
    super(scope, id);
    this.name = props.name;
    this.schedule = props.schedule;
    // The runtime is in the path's hash too: the provider refuses a runtime change that comes
    // without new code (terraform-provider-aws issue 46792), and does not notice new content at
    // an old path (issue 18089).
    const code = new FileAsset(this, 'code', {
      sourceFile: props.bundle.zipFile,
      alsoHash: [props.runtime],
    });
    this.canary = new SyntheticsCanary(this, 'canary', {
      name: props.name,
      runtimeVersion: props.runtime,
      handler: props.bundle.handler,
      zipFile: code.path,
      executionRoleArn: props.executionRoleArn,
      artifactS3Location: props.artifactS3Location,
      artifactConfig: { s3Encryption: { encryptionMode: 'SSE_S3' } },
      // Created stopped otherwise: a canary that never runs watches nothing.
      startCanary: true,
      // Otherwise destroy leaves the canary's Lambda function and layers behind.
      deleteLambda: true,
      schedule: {
        expression: props.schedule.expression,
        retryConfig: { maxRetries: props.schedule.maxRetries },
      },
      runConfig: {
        timeoutInSeconds: props.schedule.timeoutSeconds,
        memoryInMb: props.schedule.memoryMb,
        activeTracing: false,
        environmentVariables: { ...props.environment },
      },
      successRetentionPeriod: props.retentionDays,
      failureRetentionPeriod: props.retentionDays,
      dependsOn: [...props.dependsOn],
      provider: props.provider,
    });
    this.functionName = Token.asString(Fn.element(Fn.split(':', this.canary.engineArn), 6));
    this.logGroupName = new LogGroup(this, 'logs', {
      name: lambdaLogGroupName(this.functionName),
      retentionDays: props.retentionDays,
      provider: props.provider,
    }).group.name;
  }
}
