import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LogGroup } from '@monitored/cdktf-monitoring';
import { synthScope } from '../../support/synth';

describe('LogGroup', () => {
  it('has the name and the retention it is given', () => {
    const synthesized = synthScope((scope) => {
      new LogGroup(scope, 'logs', { name: '/aws/lambda/msgs-test-fn', retentionDays: 14 });
    });
    expect(synthesized.only('aws_cloudwatch_log_group')).toEqual({
      name: '/aws/lambda/msgs-test-fn',
      retention_in_days: 14,
    });
  });

  it('is created through the provider it is given', () => {
    const synthesized = synthScope((scope) => {
      new AwsProvider(scope, 'aws', { region: 'us-west-2' });
      const east = new AwsProvider(scope, 'east', { region: 'us-east-1', alias: 'us-east-1' });
      new LogGroup(scope, 'logs', { name: '/x', retentionDays: 1, provider: east });
    });
    expect(synthesized.only('aws_cloudwatch_log_group').provider).toBe('aws.us-east-1');
  });
});
