import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';

export interface LogGroupProps {
  readonly name: string;
  readonly retentionDays: number;
  /** @default the stack's default AWS provider */
  readonly provider?: AwsProvider;
}

/**
 * A log group the stack owns, so that it has a retention and is removed on destroy (a group that
 * a service creates on first write never expires and outlives the stack).
 */
export class LogGroup extends Construct {
  public readonly group: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: LogGroupProps) {
    super(scope, id);
    this.group = new CloudwatchLogGroup(this, 'group', {
      name: props.name,
      retentionInDays: props.retentionDays,
      provider: props.provider,
    });
  }
}
