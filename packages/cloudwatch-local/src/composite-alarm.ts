/**
 * Composite alarms: the state a rule gives, its reason, and the actions suppressor. The rule
 * language itself (syntax, limits, value) is packages/cloudwatch-model/src/alarm-rule.ts.
 *
 * State, from PutCompositeAlarm
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html):
 * "For a composite alarm, this initial time after creation is the only time that the alarm can be
 * in INSUFFICIENT_DATA state"; afterwards ALARM when the rule is TRUE, else OK.
 *
 * Suppression, from "Suppressing composite alarm actions"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html):
 * see ActionsSuppression below.
 */
import {
  evaluateAlarmRule,
  type AlarmRule,
  type AlarmState,
  cloudWatchTimestamp,
  longDate,
} from '@monitored/cloudwatch-model';

/** A composite alarm's state once evaluated: ALARM when its rule is TRUE, otherwise OK. */
export function compositeState(
  rule: AlarmRule,
  stateOf: (alarm: string) => AlarmState,
): 'ALARM' | 'OK' {
  return evaluateAlarmRule(rule.root, stateOf) ? 'ALARM' : 'OK';
}

export interface TriggeringAlarm {
  readonly arn: string;
  readonly state: AlarmState;
  readonly timestamp: number;
}

/**
 * StateReason and StateReasonData of a composite alarm, as in AWS's EventBridge samples:
 * `arn:...:alarm:FirstChild transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC`, or on its
 * first evaluation `arn:...:alarm:Main was created and its alarm rule evaluates to OK`.
 */
export function compositeReason(
  ownArn: string,
  state: 'ALARM' | 'OK',
  triggering: readonly TriggeringAlarm[],
): { reason: string; reasonData: string } {
  const reason =
    triggering.length === 0
      ? `${ownArn} was created and its alarm rule evaluates to ${state}`
      : `${triggering[0].arn} transitioned to ${triggering[0].state} at ${longDate(triggering[0].timestamp)}`;
  const reasonData = JSON.stringify({
    triggeringAlarms: triggering.map((alarm) => ({
      arn: alarm.arn,
      state: { value: alarm.state, timestamp: cloudWatchTimestamp(alarm.timestamp) },
    })),
  });
  return { reason, reasonData };
}

/** API_CompositeAlarm's ActionsSuppressedBy: "WaitPeriod | ExtensionPeriod | Alarm". */
export type SuppressedBy = 'WaitPeriod' | 'ExtensionPeriod' | 'Alarm';

export interface SuppressorSettings {
  readonly waitPeriodSeconds: number;
  readonly extensionPeriodSeconds: number;
}

export type ActionDecision =
  | { readonly act: true }
  | { readonly act: false; readonly suppressedBy: SuppressedBy; readonly suppressedReason: string };

type Phase =
  | { readonly kind: 'none' }
  | { readonly kind: 'Alarm' }
  | { readonly kind: 'WaitPeriod' | 'ExtensionPeriod'; readonly until: number };

/**
 * Whether a composite alarm with an actions suppressor takes its actions, as the user guide
 * describes it:
 * - "When a suppressor alarm changes states from OK to ALARM, its composite alarm stops taking
 *   actions" (any WaitPeriod or ExtensionPeriod is discarded: example 2);
 * - a change of the composite while the suppressor is not in ALARM starts a WaitPeriod (examples
 *   1 and 3), replacing a running WaitPeriod (example 3: "A new WaitPeriod starts at t3") or
 *   ExtensionPeriod (example 6: "the ExtensionPeriod is discarded, and a new WaitPeriod starts at t7");
 * - the suppressor leaving ALARM starts an ExtensionPeriod (example 5);
 * - "Composite alarms take actions that are based on their current states when ExtensionPeriod and
 *   WaitPeriod become inactive."
 * AWS does not say what happens when a period ends with no state change held back (say, the
 * suppressor went to ALARM and back while the composite stayed OK): this takes no action then, so
 * a deploy does not send an OK email for an alarm that never left OK.
 */
export class ActionsSuppression {
  private phase: Phase;
  private held = false;

  constructor(
    private readonly settings: SuppressorSettings,
    suppressorState: AlarmState,
  ) {
    this.phase = suppressorState === 'ALARM' ? { kind: 'Alarm' } : { kind: 'none' };
  }

  /** What suppresses actions right now, if anything. */
  get suppressedBy(): SuppressedBy | undefined {
    return this.phase.kind === 'none' ? undefined : this.phase.kind;
  }

  /** The suppressor alarm changed state at `now`. */
  suppressorChanged(now: number, state: AlarmState): void {
    if (state === 'ALARM') {
      this.phase = { kind: 'Alarm' };
    } else if (this.phase.kind === 'Alarm') {
      this.phase = {
        kind: 'ExtensionPeriod',
        until: now + this.settings.extensionPeriodSeconds * 1000,
      };
    }
  }

  /** "If you replace the action suppressor alarm, any active WaitPeriod or ExtensionPeriod is discarded." */
  suppressorReplaced(state: AlarmState): void {
    this.phase = state === 'ALARM' ? { kind: 'Alarm' } : { kind: 'none' };
  }

  /** The composite changed state at `now`: act on it now, or hold its actions back. */
  compositeChanged(now: number): ActionDecision {
    this.held = true;
    if (this.phase.kind === 'Alarm') return suppressed('Alarm');
    this.phase = { kind: 'WaitPeriod', until: now + this.settings.waitPeriodSeconds * 1000 };
    return this.release(now) === undefined ? suppressed('WaitPeriod') : { act: true };
  }

  /**
   * Ends a WaitPeriod or ExtensionPeriod that has run out by `now`. Returns the period that ended
   * when the composite must now take the actions of its current state, else undefined.
   */
  release(now: number): 'WaitPeriod' | 'ExtensionPeriod' | undefined {
    const phase = this.phase;
    if (phase.kind === 'none' || phase.kind === 'Alarm' || now < phase.until) return undefined;
    this.phase = { kind: 'none' };
    const held = this.held;
    this.held = false;
    return held ? phase.kind : undefined;
  }
}

/** "Actions suppressed by WaitPeriod", as in AWS's sample event. */
function suppressed(suppressedBy: SuppressedBy): ActionDecision {
  return { act: false, suppressedBy, suppressedReason: `Actions suppressed by ${suppressedBy}` };
}
