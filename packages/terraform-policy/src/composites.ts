/** What the rules need to know of composite alarms: their rules, read as AWS reads them. */
import {
  AlarmRuleError,
  evaluateAlarmRule,
  parseAlarmRule,
  referencedAlarmName,
  type AlarmRule,
  type AlarmState,
} from '@monitored/cloudwatch-model';
import { strings, type TerraformModule, type Resource } from '@monitored/terraform-json';

/** A composite's rule, or why it cannot be read (PutCompositeAlarm would refuse it). */
export function ruleOf(composite: Resource): AlarmRule | AlarmRuleError {
  const text = composite.config.alarm_rule;
  if (typeof text !== 'string') return new AlarmRuleError('alarm_rule is not a string');
  try {
    return parseAlarmRule(text);
  } catch (error: unknown) {
    if (error instanceof AlarmRuleError) return error;
    throw error;
  }
}

/** The alarms a rule names, by name (a reference by ARN is named by its last part). */
export function alarmRuleNames(rule: AlarmRule): string[] {
  return rule.children.map(referencedAlarmName);
}

/**
 * Whether the rule is TRUE with the named alarms in the states given and every other child in
 * `others` (states by alarm name).
 */
export function ruleHolds(
  rule: AlarmRule,
  states: Readonly<Record<string, AlarmState>>,
  others: AlarmState = 'OK',
): boolean {
  return evaluateAlarmRule(
    rule.root,
    (reference) => states[referencedAlarmName(reference)] ?? others,
  );
}

/**
 * The composite alarms of the stack whose (readable) rule names `alarm` and that notify on ALARM
 * and on OK.
 */
export function notifyingComposites(stack: TerraformModule, alarm: Resource): Resource[] {
  const name = alarm.config.alarm_name;
  if (typeof name !== 'string') return [];
  return stack.ofType('aws_cloudwatch_composite_alarm').filter((composite) => {
    const rule = ruleOf(composite);
    return (
      !(rule instanceof AlarmRuleError) &&
      alarmRuleNames(rule).includes(name) &&
      strings(composite.config.alarm_actions).length > 0 &&
      strings(composite.config.ok_actions).length > 0
    );
  });
}
