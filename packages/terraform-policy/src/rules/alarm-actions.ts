import { ALARM_LIMITS, AlarmRuleError } from '@monitored/cloudwatch-model';
import { notifyingComposites, ruleOf } from '../composites';
import { strings } from '@monitored/terraform-json';
import type { PolicyRule } from '../types';

const MAX_ACTIONS = ALARM_LIMITS.actions;

/**
 * Every alarm tells someone both when it fires and when it clears, through a topic in its own
 * region: CloudWatch can only notify a topic of the alarm's region (a cross-region action is
 * accepted by the API and then never delivered). An alarm with no actions of its own is heard
 * through a composite alarm of the stack that names it in its rule and notifies on both; a
 * composite's rule must read as AWS reads it, or nothing it names is heard.
 */
export const alarmActions: PolicyRule = {
  id: 'alarm-actions',
  description:
    'Every alarm has alarm and OK actions (or is in the rule of a composite that has), at most 5 each, to topics in its own region',
  resourceTypes: ['aws_cloudwatch_metric_alarm', 'aws_cloudwatch_composite_alarm'],
  check(alarm, stack) {
    if (
      alarm.type === 'aws_cloudwatch_composite_alarm' &&
      typeof alarm.config.alarm_rule === 'string'
    ) {
      const rule = ruleOf(alarm);
      if (rule instanceof AlarmRuleError)
        return `${rule.message}: PutCompositeAlarm would refuse it, and none of the alarms it names would be heard`;
    }
    const silent = ['alarm_actions', 'ok_actions'].every(
      (list) => strings(alarm.config[list]).length === 0,
    );
    if (silent && notifyingComposites(stack, alarm).length > 0) return undefined;
    for (const list of ['alarm_actions', 'ok_actions']) {
      const actions = strings(alarm.config[list]);
      if (actions.length === 0)
        return `no ${list}: nobody would hear of this alarm's state changes`;
      if (actions.length > MAX_ACTIONS)
        return `${list} has ${actions.length} actions; the limit is ${MAX_ACTIONS}`;
      for (const action of actions) {
        const topic = stack.referencedBy(action, 'aws_sns_topic');
        if (topic === undefined) continue;
        // By region where the stack states both, else by provider: one provider, one region.
        const [topicRegion, alarmRegion] = [stack.regionOf(topic), stack.regionOf(alarm)];
        const apart =
          topicRegion !== undefined && alarmRegion !== undefined
            ? topicRegion !== alarmRegion
            : topic.config.provider !== alarm.config.provider;
        if (apart) {
          const where = (provider: unknown, region: string | undefined) =>
            `${typeof provider === 'string' ? provider : 'the default provider'}${region === undefined ? '' : ` (${region})`}`;
          return `${list} notifies aws_sns_topic.${topic.name} of ${where(topic.config.provider, topicRegion)}, but the alarm is in ${where(alarm.config.provider, alarmRegion)}: an alarm can only notify a topic in its own region`;
        }
      }
    }
    return undefined;
  },
};
