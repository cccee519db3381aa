import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { Testing } from 'cdktf';
import { TEST_CONFIGS } from '../../support/synth';
import { MessageSystemStack } from '../../../stacks/message-system-stack';
import { exemptFromRule } from '../../../stacks/policy/policy-checks';

/** Builds the dev stack, lets `breakIt` change it, and synthesizes as `cdktf synth` does. */
function synthBroken(breakIt: (stack: MessageSystemStack) => void): () => void {
  const app = Testing.app();
  const stack = new MessageSystemStack(app, 'dev', { config: TEST_CONFIGS.dev });
  breakIt(stack);
  return () => app.synth();
}

describe('policy checks at synth', () => {
  it('pass the stacks as built', () => {
    expect(synthBroken(() => undefined)).not.toThrow();
  });

  it('fail on a public bucket policy, naming the rule and the resource', () => {
    const run = synthBroken((stack) => {
      new S3BucketPolicy(stack, 'public-policy', {
        bucket: stack.website.bucket.id,
        policy: JSON.stringify({
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: `${stack.website.bucket.arn}/*`,
            },
          ],
        }),
      });
    });
    expect(run).toThrow(
      /\[s3-no-public-policy\] aws_s3_bucket_policy\.public-policy: allows s3:GetObject to everyone/,
    );
  });

  it('fail on a deprecated runtime', () => {
    const run = synthBroken((stack) => {
      stack.api.handler.function.runtime = 'nodejs18.x';
    });
    expect(run).toThrow(
      /\[lambda-runtime-supported\] aws_lambda_function\.api_handler_function_[0-9A-F]+: runtime nodejs18\.x was deprecated on 2025-09-01/,
    );
  });

  it('fail on a log group without retention', () => {
    const run = synthBroken((stack) => {
      new CloudwatchLogGroup(stack, 'forever', { name: '/aws/lambda/forgotten' });
    });
    expect(run).toThrow(
      /\[log-group-retention\] aws_cloudwatch_log_group\.forever: no retention_in_days/,
    );
  });

  it('fail on CORS for any origin', () => {
    const run = synthBroken((stack) => {
      stack.api.api.corsConfiguration.allowOrigins = ['*'];
    });
    expect(run).toThrow(
      /\[cors-no-wildcard\] aws_apigatewayv2_api\.api_[0-9A-F]+: CORS allows any origin/,
    );
  });

  it('accept an exemption with a written reason, and report it', () => {
    const app = Testing.app();
    const stack = new MessageSystemStack(app, 'dev', { config: TEST_CONFIGS.dev });
    const group = new CloudwatchLogGroup(stack, 'audit', { name: '/audit/kept-forever' });
    exemptFromRule(
      group,
      'log-group-retention',
      'Audit logs must be kept indefinitely by policy XYZ-12',
    );
    expect(() => app.synth()).not.toThrow();
    const messages = group.node.metadata.map((entry) => String(entry.data));
    expect(messages).toContain(
      '[log-group-retention] aws_cloudwatch_log_group.audit exempt: Audit logs must be kept indefinitely by policy XYZ-12',
    );
  });

  it('refuse an exemption without a reason', () => {
    const app = Testing.app();
    const stack = new MessageSystemStack(app, 'dev', { config: TEST_CONFIGS.dev });
    const group = new CloudwatchLogGroup(stack, 'audit', { name: '/audit/x', retentionInDays: 1 });
    expect(() => exemptFromRule(group, 'log-group-retention', ' ')).toThrow(/needs a reason/);
  });
});
