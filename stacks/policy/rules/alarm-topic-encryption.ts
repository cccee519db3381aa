import { isJsonObject, strings } from '../json';
import { statementsOf, type Statement } from '../iam-statements';
import type { SynthStack } from '../synth-stack';
import type { PolicyRule, SynthResource } from '../types';

const CLOUDWATCH = 'cloudwatch.amazonaws.com';
const AWS_MANAGED_SNS_KEY = 'alias/aws/sns';
const ACTION_LISTS = ['alarm_actions', 'ok_actions', 'insufficient_data_actions'];

function admitsCloudWatch(statement: Statement, wanted: readonly string[]): boolean {
  if (statement.effect !== 'Allow' || !isJsonObject(statement.principal)) return false;
  if (!strings(statement.principal.Service).includes(CLOUDWATCH)) return false;
  return wanted.every((action) =>
    statement.actions.some(
      (granted) =>
        granted === action ||
        granted === 'kms:*' ||
        granted === '*' ||
        (granted.endsWith('*') && action.startsWith(granted.slice(0, -1))),
    ),
  );
}

/** Why CloudWatch could not publish to `topic`, or undefined when it can. */
function topicProblem(topic: SynthResource, stack: SynthStack): string | undefined {
  const address = `aws_sns_topic.${topic.name}`;
  const keyId = topic.config.kms_master_key_id;
  if (typeof keyId === 'string') {
    if (keyId.includes(AWS_MANAGED_SNS_KEY)) {
      return `its topic ${address} is encrypted with the AWS managed key ${AWS_MANAGED_SNS_KEY}, which CloudWatch cannot use: no notification would be sent`;
    }
    const alias = stack.referencedBy(keyId, 'aws_kms_alias');
    const key =
      stack.referencedBy(keyId, 'aws_kms_key') ??
      (alias === undefined
        ? undefined
        : stack.referencedBy(alias.config.target_key_id, 'aws_kms_key'));
    if (key === undefined) {
      return `its topic ${address} is encrypted with a key outside this stack (${keyId}), whose policy cannot be checked to admit ${CLOUDWATCH}`;
    }
    // kms:GenerateDataKey* and kms:Decrypt, as the SNS guide's statement for AWS services grants.
    const admitted = statementsOf(key.config.policy).some((statement) =>
      admitsCloudWatch(statement, ['kms:Decrypt', 'kms:GenerateDataKey']),
    );
    if (!admitted) {
      return `its topic ${address} is encrypted with aws_kms_key.${key.name}, whose policy does not let ${CLOUDWATCH} kms:Decrypt and kms:GenerateDataKey*: no notification would be sent`;
    }
  }
  for (const topicPolicy of stack.referencing('aws_sns_topic_policy', 'arn', topic)) {
    const publishes = statementsOf(topicPolicy.config.policy).some((statement) =>
      admitsCloudWatch(statement, ['sns:Publish']),
    );
    if (!publishes) {
      return `the policy of its topic ${address} (aws_sns_topic_policy.${topicPolicy.name}) does not let ${CLOUDWATCH} sns:Publish`;
    }
  }
  return undefined;
}

/**
 * CloudWatch must be able to publish to every topic an alarm notifies: not a topic encrypted with
 * the AWS managed key (its policy cannot admit CloudWatch; the alarm history says "CloudWatch
 * Alarms does not have authorization to access the SNS topic encryption key"), not a key whose
 * policy leaves CloudWatch out, and not a topic policy that replaced the default without it.
 * These deploy cleanly and then send nothing.
 */
export const alarmTopicEncryption: PolicyRule = {
  id: 'alarm-topic-encryption',
  description:
    'Every topic an alarm notifies can be published to by CloudWatch (key and topic policy)',
  resourceTypes: ['aws_cloudwatch_metric_alarm', 'aws_cloudwatch_composite_alarm'],
  check(alarm, stack) {
    for (const list of ACTION_LISTS) {
      for (const action of strings(alarm.config[list])) {
        const topic = stack.referencedBy(action, 'aws_sns_topic');
        if (topic === undefined) continue;
        const problem = topicProblem(topic, stack);
        if (problem !== undefined) return `${list}: ${problem}`;
      }
    }
    return undefined;
  },
};
