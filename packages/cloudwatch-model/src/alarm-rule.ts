/**
 * The AlarmRule language of composite alarms: its syntax, its limits and its value for given child
 * states. The local engine evaluates composites with it; the policy rules and the cost model read
 * the synthesized rules with it. No cdktf imports.
 *
 * Rule syntax and limits, from PutCompositeAlarm
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html):
 * functions `ALARM(name or ARN)`, `OK(...)`, `INSUFFICIENT_DATA(...)`, constants `TRUE`, `FALSE`,
 * operators AND, OR, NOT, parentheses; "ALARM("alarm-name or alarm-ARN") is TRUE if the named alarm
 * is in ALARM state" (so FALSE for a child in OK or INSUFFICIENT_DATA); "Alarm names specified in
 * AlarmRule can be surrounded with double-quotes ("), but do not have to be"; "as many as 100
 * children alarms", "as many as 500 elements. Elements are child alarms, TRUE or FALSE statements,
 * and parentheses", at most 10240 characters.
 *
 * Where AWS is silent, and what this does:
 * - Precedence: NOT binds tighter than AND, AND tighter than OR (the usual order); keywords are
 *   upper case, as in every AWS example. The stack's own rules group with parentheses so as not to
 *   depend on it.
 * - An unquoted name runs to the next `)` (trimmed); a quoted one to the next `"` (no escapes).
 * - Element count: each child reference, each TRUE/FALSE and each grouping parenthesis counts one
 *   (a function's own parentheses do not).
 */

/** A metric or composite alarm's state. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

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

/** A `stateOf` for evaluateAlarmRule from known states by name; a child not in `states` throws. */
export function statesByName(
  states: Readonly<Record<string, AlarmState>>,
): (alarm: string) => AlarmState {
  return (alarm) => {
    const state = states[alarm];
    if (state === undefined)
      throw new Error(`no state known for the alarm ${JSON.stringify(alarm)}`);
    return state;
  };
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

/** The alarm a rule's reference names: the reference itself, or the last part of an alarm ARN. */
export function referencedAlarmName(reference: string): string {
  const arn = /^arn:[^:]*:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/.exec(reference);
  return arn === null ? reference : arn[1];
}
