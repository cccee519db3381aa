import {
  isJsonObject,
  strings,
  type TerraformModule,
  type Json,
  type Resource,
} from '@monitored/terraform-json';
import { statementsOf, type Statement } from '../iam-statements';
import type { PolicyRule } from '../types';

const CLOUDWATCH = 'cloudwatch.amazonaws.com';
const AWS_MANAGED_SNS_KEY = 'alias/aws/sns';
const ACTION_LISTS = ['alarm_actions', 'ok_actions', 'insufficient_data_actions'];

/** Whether `granted` (an action, maybe with a trailing `*`) covers `action`. */
const covers = (granted: string, action: string) =>
  granted === action ||
  granted === '*' ||
  (granted.endsWith('*') && action.startsWith(granted.slice(0, -1)));

/** Whether the statement's principal takes in CloudWatch: its service, or everyone. */
function namesCloudWatch(principal: Json | undefined): boolean {
  if (principal === '*') return true;
  if (!isJsonObject(principal)) return false;
  return strings(principal.Service).includes(CLOUDWATCH) || strings(principal.AWS).includes('*');
}

/**
 * Condition keys a publication by CloudWatch carries, so a statement limited by them still admits
 * it (the SNS guide's statement for CloudWatch alarms limits by the alarm's ARN and account).
 */
const CLOUDWATCH_CONDITION_KEYS = new Set(['aws:sourcearn', 'aws:sourceaccount']);

/** The condition keys of `condition` that CloudWatch's request may not meet. */
function unknownConditionKeys(condition: Json | undefined): string[] {
  if (!isJsonObject(condition)) return [];
  return Object.values(condition).flatMap((keys) =>
    isJsonObject(keys)
      ? Object.keys(keys).filter((key) => !CLOUDWATCH_CONDITION_KEYS.has(key.toLowerCase()))
      : [],
  );
}

/**
 * Whether the policy lets CloudWatch do every one of `wanted`: an Allow for its service with no
 * condition but on the alarm's source, and no unconditional Deny of one of them to it or to all.
 */
function admitsCloudWatch(policy: Json | undefined, wanted: readonly string[]): boolean {
  const statements = statementsOf(policy);
  const allowed = statements.some(
    (statement: Statement) =>
      statement.effect === 'Allow' &&
      isJsonObject(statement.principal) &&
      strings(statement.principal.Service).includes(CLOUDWATCH) &&
      unknownConditionKeys(statement.condition).length === 0 &&
      wanted.every((action) => statement.actions.some((granted) => covers(granted, action))),
  );
  const denied = statements.some(
    (statement: Statement) =>
      statement.effect === 'Deny' &&
      statement.condition === undefined &&
      namesCloudWatch(statement.principal) &&
      wanted.some((action) => statement.actions.some((granted) => covers(granted, action))),
  );
  return allowed && !denied;
}

/** Why CloudWatch could not publish to `topic`, or undefined when it can. */
function topicProblem(topic: Resource, stack: TerraformModule): string | undefined {
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
    if (!admitsCloudWatch(key.config.policy, ['kms:Decrypt', 'kms:GenerateDataKey'])) {
      return `its topic ${address} is encrypted with aws_kms_key.${key.name}, whose policy does not let ${CLOUDWATCH} kms:Decrypt and kms:GenerateDataKey* (no Allow without a condition it may not meet, or a Deny): no notification would be sent`;
    }
  }
  for (const topicPolicy of stack.referencing('aws_sns_topic_policy', 'arn', topic)) {
    if (!admitsCloudWatch(topicPolicy.config.policy, ['sns:Publish'])) {
      return `the policy of its topic ${address} (aws_sns_topic_policy.${topicPolicy.name}) does not let ${CLOUDWATCH} sns:Publish (no Allow without a condition it may not meet, or a Deny)`;
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
