/**
 * Composite alarms: the AlarmRule language, the state it gives, and the actions suppressor.
 *
 * Rule syntax and limits, from PutCompositeAlarm
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html):
 * functions `ALARM(name or ARN)`, `OK(...)`, `INSUFFICIENT_DATA(...)`, constants `TRUE`, `FALSE`,
 * operators AND, OR, NOT, parentheses; "Alarm names specified in AlarmRule can be surrounded with
 * double-quotes ("), but do not have to be"; "as many as 100 children alarms", "as many as 500
 * elements. Elements are child alarms, TRUE or FALSE statements, and parentheses", at most 10240
 * characters. State: "For a composite alarm, this initial time after creation is the only time that
 * the alarm can be in INSUFFICIENT_DATA state"; afterwards ALARM when the rule is TRUE, else OK.
 *
 * Suppression, from "Suppressing composite alarm actions"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html):
 * see ActionsSuppression below.
 *
 * Where AWS is silent, and what this does:
 * - Precedence: NOT binds tighter than AND, AND tighter than OR (the usual order); keywords are
 *   upper case, as in every AWS example.
 * - An unquoted name runs to the next `)` (trimmed); a quoted one to the next `"` (no escapes).
 * - Element count: each child reference, each TRUE/FALSE and each grouping parenthesis counts one
 *   (a function's own parentheses do not).
 */
import type { AlarmState } from './alarm-model';
import { cloudWatchTimestamp, longDate } from './alarm-text';

export type AlarmRuleNode =
  | { readonly kind: 'state'; readonly state: AlarmState; readonly alarm: string }
  | { readonly kind: 'constant'; readonly value: boolean }
  | { readonly kind: 'not'; readonly operand: AlarmRuleNode }
  | { readonly kind: 'and' | 'or'; readonly left: AlarmRuleNode; readonly right: AlarmRuleNode };

export interface AlarmRule {
  readonly root: AlarmRuleNode;
  /** The alarms referenced, as written (names or ARNs), each once, in order of appearance. */
  readonly children: readonly string[];
  /** Child references, TRUE/FALSE and grouping parentheses. */
  readonly elements: number;
}

export const MAX_RULE_CHILDREN = 100;
export const MAX_RULE_ELEMENTS = 500;
export const MAX_RULE_LENGTH = 10_240;

export class AlarmRuleError extends Error {
  override readonly name = 'AlarmRuleError';
}

const FUNCTIONS: readonly AlarmState[] = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];
const OPERAND_EXPECTED = 'ALARM(...), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE, NOT or "("';

/** Parses an AlarmRule, or throws an AlarmRuleError with the character position and what was expected. */
export function parseAlarmRule(text: string): AlarmRule {
  if (text.length > MAX_RULE_LENGTH) {
    throw new AlarmRuleError(
      `alarm rule is ${text.length} characters long, at most ${MAX_RULE_LENGTH} are allowed`,
    );
  }
  const parser = new RuleParser(text);
  const root = parser.parse();
  const children = [...new Set(parser.references)];
  if (children.length > MAX_RULE_CHILDREN) {
    throw new AlarmRuleError(
      `alarm rule references ${children.length} alarms, at most ${MAX_RULE_CHILDREN} are allowed`,
    );
  }
  return { root, children, elements: parser.elements };
}

class RuleParser {
  readonly references: string[] = [];
  elements = 0;
  private position = 0;

  constructor(private readonly text: string) {}

  /** Counted as they are read, so deep nesting is refused before it can exhaust the stack. */
  private countElement(): void {
    this.elements += 1;
    if (this.elements > MAX_RULE_ELEMENTS) {
      throw new AlarmRuleError(
        `alarm rule has more than ${MAX_RULE_ELEMENTS} elements (child alarms, TRUE/FALSE, ` +
          `parentheses), at character ${this.position}`,
      );
    }
  }

  parse(): AlarmRuleNode {
    const root = this.or();
    this.skipSpace();
    if (this.position < this.text.length) this.fail('AND, OR or the end of the rule');
    return root;
  }

  private or(): AlarmRuleNode {
    let left = this.and();
    while (this.keyword('OR')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): AlarmRuleNode {
    let left = this.not();
    while (this.keyword('AND')) left = { kind: 'and', left, right: this.not() };
    return left;
  }

  private not(): AlarmRuleNode {
    if (this.keyword('NOT')) return { kind: 'not', operand: this.not() };
    return this.operand();
  }

  private operand(): AlarmRuleNode {
    this.skipSpace();
    if (this.text[this.position] === '(') {
      this.position += 1;
      this.countElement();
      const inner = this.or();
      this.expect(')', 'AND, OR or ")"');
      this.countElement();
      return inner;
    }
    const word = this.peekWord();
    if (word === 'TRUE' || word === 'FALSE') {
      this.position += word.length;
      this.countElement();
      return { kind: 'constant', value: word === 'TRUE' };
    }
    const state = FUNCTIONS.find((name) => name === word);
    if (state === undefined) this.fail(OPERAND_EXPECTED);
    this.position += state.length;
    this.expect('(', `"(" after ${state}`);
    const alarm = this.alarmReference();
    this.expect(')', `")" after the alarm name`);
    this.references.push(alarm);
    this.countElement();
    return { kind: 'state', state, alarm };
  }

  private alarmReference(): string {
    this.skipSpace();
    const start = this.position;
    if (this.text[start] === '"') {
      const close = this.text.indexOf('"', start + 1);
      if (close === -1) this.fail("a closing '\"' for the alarm name", start);
      const name = this.text.slice(start + 1, close);
      if (name.length === 0) this.fail('an alarm name or ARN between the quotes', start);
      this.position = close + 1;
      return name;
    }
    const close = this.text.indexOf(')', start);
    const name = this.text.slice(start, close === -1 ? this.text.length : close).trim();
    if (name.length === 0) this.fail('an alarm name or ARN');
    if (close === -1) this.fail('")" after the alarm name', this.text.length);
    this.position = close;
    return name;
  }

  /** Consumes `word` if it comes next as a whole word. */
  private keyword(word: string): boolean {
    this.skipSpace();
    if (this.peekWord() !== word) return false;
    this.position += word.length;
    return true;
  }

  private peekWord(): string {
    this.skipSpace();
    return /^[A-Za-z_]+/.exec(this.text.slice(this.position))?.[0] ?? '';
  }

  private expect(char: string, what: string): void {
    this.skipSpace();
    if (this.text[this.position] !== char) this.fail(what);
    this.position += 1;
  }

  private skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position]))
      this.position += 1;
  }

  private fail(expected: string, at = this.position): never {
    const found =
      at >= this.text.length ? 'the end of the rule' : JSON.stringify(this.text.slice(at, at + 20));
    throw new AlarmRuleError(
      `alarm rule, character ${at + 1}: expected ${expected}, found ${found}`,
    );
  }
}

/** The rule's value with each child in the state `stateOf` gives it. */
export function evaluateAlarmRule(
  node: AlarmRuleNode,
  stateOf: (alarm: string) => AlarmState,
): boolean {
  switch (node.kind) {
    case 'state':
      return stateOf(node.alarm) === node.state;
    case 'constant':
      return node.value;
    case 'not':
      return !evaluateAlarmRule(node.operand, stateOf);
    case 'and':
      return evaluateAlarmRule(node.left, stateOf) && evaluateAlarmRule(node.right, stateOf);
    case 'or':
      return evaluateAlarmRule(node.left, stateOf) || evaluateAlarmRule(node.right, stateOf);
  }
}

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
