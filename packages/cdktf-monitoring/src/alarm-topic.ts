import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { policyDocument } from './iam-policy';
import { physicalName } from './physical-name';

export interface AlarmTopicProps {
  /** `<app>-<stage>`, the start of every name. */
  readonly namePrefix: string;
  /** The region the topic is in: alarms can only notify a topic of their own region. */
  readonly region: string;
  readonly accountId: string;
  /** Who gets the alarm emails; each must confirm the subscription AWS mails them. */
  readonly emails: readonly string[];
  /**
   * The role that deploys the stage: the key's own policy lets it manage the key, because the
   * provider uses a new key before a grant conditioned on its tags would take effect.
   */
  readonly deployRoleArn: string;
  /** @default the stack's default AWS provider */
  readonly provider?: AwsProvider;
}

/** The service that publishes alarm notifications. */
export const CLOUDWATCH_SERVICE_PRINCIPAL = 'cloudwatch.amazonaws.com';

/**
 * The stage's alarm topic: SNS encrypted with a customer-managed KMS key whose policy lets
 * CloudWatch use it, and the email subscriptions. CloudWatch cannot publish to a topic encrypted
 * with the AWS managed key (alias/aws/sns): its key policy cannot be edited to admit CloudWatch,
 * the alarm history says "CloudWatch Alarms does not have authorization to access the SNS topic
 * encryption key" and nothing is sent (https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns).
 * The `alarm-topic-encryption` policy rule refuses an alarm whose topic would fail that way.
 */
export class AlarmTopic extends Construct {
  public readonly topic: SnsTopic;
  public readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { provider, accountId, region } = props;
    this.key = new KmsKey(this, 'key', {
      description: `${props.namePrefix} alarm notifications (SNS topic encryption)`,
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: policyDocument([
        {
          // The default key policy: without it, the account (and so IAM) could not manage the key.
          Sid: 'AccountAdministersTheKey',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          // Named by aws:PrincipalArn under a "*" principal, not as the principal itself: KMS
          // refuses a key policy whose principal does not exist yet and, were the role re-created,
          // would no longer match it (it stores the old role's unique id). The condition keeps the
          // statement to that one role of this account.
          Sid: 'StageDeployRoleManagesTheKey',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: [
            'kms:DescribeKey',
            'kms:GetKeyPolicy',
            'kms:GetKeyRotationStatus',
            'kms:ListResourceTags',
            'kms:PutKeyPolicy',
            'kms:EnableKeyRotation',
            'kms:UpdateKeyDescription',
            'kms:TagResource',
            'kms:UntagResource',
            'kms:ScheduleKeyDeletion',
            'kms:CreateAlias',
            'kms:DeleteAlias',
            'kms:UpdateAlias',
          ],
          Resource: '*',
          Condition: { ArnEquals: { 'aws:PrincipalArn': props.deployRoleArn } },
        },
        {
          // The statement the SNS guide gives for AWS services publishing to encrypted topics
          // ("Enable compatibility between event sources from AWS services and encrypted topics",
          // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
          // Its optional aws:SourceAccount/aws:SourceArn hardening is left out: a condition the
          // service does not send fails delivery silently, and that cannot be tried offline.
          Sid: 'CloudWatchAlarmsEncryptForTheTopic',
          Effect: 'Allow',
          Principal: { Service: CLOUDWATCH_SERVICE_PRINCIPAL },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        },
      ]),
      provider,
    });
    new KmsAlias(this, 'alias', {
      name: `alias/${physicalName(props.namePrefix, 'alarms', 'kmsAlias')}`,
      targetKeyId: this.key.keyId,
      provider,
    });

    this.topic = new SnsTopic(this, 'topic', {
      name: physicalName(props.namePrefix, 'alarms', 'snsTopic'),
      displayName: `${props.namePrefix} alarms`,
      kmsMasterKeyId: this.key.arn,
      provider,
    });
    new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: policyDocument([
        {
          // Only this account's alarms of this stage may publish (re:Post "Why didn't I receive an
          // SNS notification for my CloudWatch alarm trigger?").
          Sid: 'StageAlarmsPublish',
          Effect: 'Allow',
          Principal: { Service: CLOUDWATCH_SERVICE_PRINCIPAL },
          Action: 'sns:Publish',
          Resource: this.topic.arn,
          Condition: {
            StringEquals: { 'aws:SourceAccount': accountId },
            ArnLike: {
              'aws:SourceArn': `arn:aws:cloudwatch:${region}:${accountId}:alarm:${props.namePrefix}-*`,
            },
          },
        },
      ]),
      provider,
    });
    props.emails.forEach((email, index) => {
      new SnsTopicSubscription(this, `email-${index}`, {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: email,
        provider,
      });
    });
  }
}
