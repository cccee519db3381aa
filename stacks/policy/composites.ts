/** What the rules need to know of composite alarms: which alarms a composite's rule reads. */
import { strings } from './json';
import type { SynthStack } from './synth-stack';
import type { SynthResource } from './types';

/**
 * The alarms an AlarmRule names, by name: in `ALARM(...)`, `OK(...)` and `INSUFFICIENT_DATA(...)`,
 * quoted or not ("Alarm names specified in AlarmRule can be surrounded with double-quotes", and an
 * ARN is named by its last part; PutCompositeAlarm in the CloudWatch API reference).
 */
export function alarmRuleNames(rule: string): string[] {
  return [
    ...rule.matchAll(/\b(?:ALARM|OK|INSUFFICIENT_DATA)\(\s*(?:"([^"]*)"|([^)]*?))\s*\)/g),
  ].map(([, quoted, bare]) => {
    const reference = (quoted ?? bare).trim();
    const arn = /^arn:[^:]*:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/.exec(reference);
    return arn === null ? reference : arn[1];
  });
}

/** The composite alarms of the stack whose rule names `alarm` and that notify on ALARM and on OK. */
export function notifyingComposites(stack: SynthStack, alarm: SynthResource): SynthResource[] {
  const name = alarm.config.alarm_name;
  if (typeof name !== 'string') return [];
  return stack
    .ofType('aws_cloudwatch_composite_alarm')
    .filter(
      (composite) =>
        typeof composite.config.alarm_rule === 'string' &&
        alarmRuleNames(composite.config.alarm_rule).includes(name) &&
        strings(composite.config.alarm_actions).length > 0 &&
        strings(composite.config.ok_actions).length > 0,
    );
}
