import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AlarmTopic } from '@monitored/cdktf-monitoring';
import { policyStatements, synthScope } from '../../support/synth';

describe('AlarmTopic', () => {
  const synthesized = synthScope((scope) => {
    new AwsProvider(scope, 'aws', { region: 'us-west-2' });
    new AlarmTopic(scope, 'alarms', {
      namePrefix: 'msgs-dev',
      region: 'us-west-2',
      accountId: '123456789012',
      emails: ['a@example.com', 'b@example.com'],
      deployRoleArn: 'arn:aws:iam::123456789012:role/msgs-deploy-dev',
    });
  });

  it('encrypts the topic with its own customer-managed key, rotated yearly', () => {
    expect(synthesized.only('aws_sns_topic')).toEqual({
      name: 'msgs-dev-alarms',
      display_name: 'msgs-dev alarms',
      kms_master_key_id: synthesized.ref('aws_kms_key', 'arn'),
    });
    expect(synthesized.only('aws_kms_key')).toMatchObject({ enable_key_rotation: true });
    expect(synthesized.only('aws_kms_alias')).toEqual({
      name: 'alias/msgs-dev-alarms',
      target_key_id: synthesized.ref('aws_kms_key', 'key_id'),
    });
  });

  it("lets CloudWatch use the key, the stage's deploy role manage it, and keeps the account the key's administrator", () => {
    expect(policyStatements(synthesized.only('aws_kms_key').policy)).toEqual([
      {
        Sid: 'AccountAdministersTheKey',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'StageDeployRoleManagesTheKey',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: expect.arrayContaining(['kms:PutKeyPolicy', 'kms:EnableKeyRotation']),
        Resource: '*',
        Condition: {
          ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/msgs-deploy-dev' },
        },
      },
      {
        Sid: 'CloudWatchAlarmsEncryptForTheTopic',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      },
    ]);
  });

  it("lets only this account's alarms of this stage publish", () => {
    const topicPolicy = synthesized.only('aws_sns_topic_policy');
    expect(topicPolicy.arn).toBe(synthesized.ref('aws_sns_topic', 'arn'));
    expect(policyStatements(topicPolicy.policy)).toEqual([
      {
        Sid: 'StageAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: synthesized.ref('aws_sns_topic', 'arn'),
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: {
            'aws:SourceArn': 'arn:aws:cloudwatch:us-west-2:123456789012:alarm:msgs-dev-*',
          },
        },
      },
    ]);
  });

  it('subscribes every address by email', () => {
    expect(synthesized.all('aws_sns_topic_subscription')).toEqual([
      {
        topic_arn: synthesized.ref('aws_sns_topic', 'arn'),
        protocol: 'email',
        endpoint: 'a@example.com',
      },
      {
        topic_arn: synthesized.ref('aws_sns_topic', 'arn'),
        protocol: 'email',
        endpoint: 'b@example.com',
      },
    ]);
  });
});
