import { strings } from '../json';
import type { PolicyRule } from '../types';

/** PutMetricAlarm and PutCompositeAlarm take at most 5 actions per list. */
const MAX_ACTIONS = 5;

/**
 * Every alarm tells someone both when it fires and when it clears, through a topic in its own
 * region: CloudWatch can only notify a topic of the alarm's region (a cross-region action is
 * accepted by the API and then never delivered).
 */
export const alarmActions: PolicyRule = {
  id: 'alarm-actions',
  description: 'Every alarm has alarm and OK actions, at most 5 each, to topics in its own region',
  resourceTypes: ['aws_cloudwatch_metric_alarm', 'aws_cloudwatch_composite_alarm'],
  check(alarm, stack) {
    for (const list of ['alarm_actions', 'ok_actions']) {
      const actions = strings(alarm.config[list]);
      if (actions.length === 0)
        return `no ${list}: nobody would hear of this alarm's state changes`;
      if (actions.length > MAX_ACTIONS)
        return `${list} has ${actions.length} actions; the limit is ${MAX_ACTIONS}`;
      for (const action of actions) {
        const topic = stack.referencedBy(action, 'aws_sns_topic');
        if (topic === undefined) continue;
        if (topic.config.provider !== alarm.config.provider) {
          const where = (provider: unknown) =>
            typeof provider === 'string' ? provider : 'the default provider';
          return `${list} notifies aws_sns_topic.${topic.name} of ${where(topic.config.provider)}, but the alarm is in ${where(alarm.config.provider)}: an alarm can only notify a topic in its own region`;
        }
      }
    }
    return undefined;
  },
};
