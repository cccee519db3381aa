/**
 * A recursive-descent parser for the part of the Logs Insights query language that the dashboard's
 * log widgets and the alarms' links use. Anything else is a QueryError naming the construct and
 * where it is, so that a widget outside the subset fails when the dashboard is built instead of
 * showing an empty table.
 *
 * Syntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html and its
 * per-command pages; the dashboard's `SOURCE 'group' |` prefix:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
import type {
  AggregateFunction,
  Aggregation,
  Command,
  ComparisonOperator,
  Expr,
  FieldRef,
  Literal,
  NamedExpr,
  Period,
  Query,
  ScalarFunction,
  SortKey,
} from './ast';
import { describe, Lexer, type Token } from './lexer';
import { compileRegex, literalRegex, RegexSyntaxError, type LinearRegex } from './regex';

/** "If you omit limit, the query defaults to returning up to 10,000 log events" (CWL_QuerySyntax-Limit). */
export const DEFAULT_LIMIT = 10_000;
/** "You can specify a limit value of up to 100,000" (CWL_QuerySyntax-Limit). */
export const MAX_LIMIT = 100_000;

const SUPPORTED_COMMANDS = ['fields', 'display', 'filter', 'stats', 'sort', 'limit', 'parse'];

// Commands of the current language (CWL_QuerySyntax) outside the subset.
const OTHER_COMMANDS = [
  'addtotals',
  'anomaly',
  'dedup',
  'diff',
  'filterindex',
  'join',
  'lookup',
  'pattern',
  'unmask',
  'unnest',
];

const SCALAR_ARITY: Record<ScalarFunction, [min: number, max: number]> = {
  ispresent: [1, 1],
  isempty: [1, 1],
  isblank: [1, 1],
  concat: [1, Infinity],
  strlen: [1, 1],
  tolower: [1, 1],
  toupper: [1, 1],
  coalesce: [1, Infinity],
};

const AGGREGATES: readonly AggregateFunction[] = [
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'pct',
  'count_distinct',
];

// Functions of the language (CWL_QuerySyntax 2023, CWL_QuerySyntax-timeseries-functions) outside
// the subset, lower-cased.
const OTHER_FUNCTIONS = [
  'abs',
  'ceil',
  'floor',
  'greatest',
  'least',
  'log',
  'sqrt',
  'ltrim',
  'rtrim',
  'trim',
  'substr',
  'replace',
  'strcontains',
  'datefloor',
  'dateceil',
  'frommillis',
  'tomillis',
  'isvalidip',
  'isvalidipv4',
  'isvalidipv6',
  'isipinsubnet',
  'isipv4insubnet',
  'isipv6insubnet',
  'stddev',
  'earliest',
  'latest',
  'sortsfirst',
  'sortslast',
  'rate',
  'count_over_time',
  'sum_over_time',
  'histogram',
];

// bin() units (CWL_QuerySyntax-Stats): "For all units and abbreviations that include more than one
// character, adding s to pluralize is supported."
const FIXED_UNITS: Record<string, number> = {
  ms: 1,
  msec: 1,
  millisecond: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};
const CALENDAR_UNITS: Record<string, number> = {
  mo: 1,
  mon: 1,
  month: 1,
  q: 3,
  qtr: 3,
  quarter: 3,
  y: 12,
  yr: 12,
  year: 12,
};
// Documented, but where a week starts is not: refused rather than guessed.
const WEEK_UNITS = ['w', 'week'];

const COMPARISON_OPERATORS: readonly string[] = ['=', '!=', '<', '<=', '>', '>='];
const ARITHMETIC = ['+', '-', '*', '/', '%', '^'];
const KEYWORDS = ['and', 'or', 'not', 'in', 'like', 'as', 'by', 'asc', 'desc'];

/** Parses a query; throws QueryError for anything outside the supported subset. */
export function parseQuery(text: string): Query {
  return new Parser(text).query();
}

class Parser {
  private readonly lexer: Lexer;

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text);
  }

  query(): Query {
    const sources: string[] = [];
    const commands: Command[] = [];
    if (this.lexer.peek().kind === 'end') throw this.lexer.error(0, 'the query is empty');
    for (;;) {
      const word = this.lexer.peek();
      const name = word.kind === 'word' ? word.value.toLowerCase() : '';
      if (name === 'source') {
        if (commands.length > 0)
          throw this.lexer.error(word.at, 'SOURCE must come before every other command');
        this.lexer.next();
        sources.push(this.source());
      } else {
        if (name === 'stats' && commands.some((c) => c.kind === 'stats'))
          throw this.lexer.error(word.at, 'a second stats command is outside the supported subset');
        commands.push(this.command());
      }
      const after = this.lexer.next();
      if (after.kind === 'end') break;
      if (!isSymbol(after, '|'))
        throw this.lexer.error(
          after.at,
          `expected | or the end of the query, found ${describe(after)}`,
        );
      if (this.lexer.peek().kind === 'end')
        throw this.lexer.error(this.lexer.peek().at, 'expected a command after |');
    }
    return { text: this.text, sources, commands };
  }

  // The dashboard form: "You must pre-pend each log group name with SOURCE" (dashboard body
  // structure). The CLI/API form `SOURCE logGroups(...)` selects groups by prefix or class.
  private source(): string {
    const token = this.lexer.next();
    if (token.kind === 'string') {
      if (token.value === '') throw this.lexer.error(token.at, 'SOURCE names an empty log group');
      return token.value;
    }
    if (token.kind === 'word' && token.value.toLowerCase() === 'loggroups')
      throw this.lexer.error(
        token.at,
        "SOURCE logGroups(...) (the CLI/API form) is outside the supported subset; name each group: SOURCE 'group-name'",
      );
    throw this.lexer.error(
      token.at,
      `expected a quoted log group name after SOURCE, found ${describe(token)}`,
    );
  }

  private command(): Command {
    const word = this.lexer.next();
    if (word.kind !== 'word')
      throw this.lexer.error(word.at, `expected a command, found ${describe(word)}`);
    const name = word.value.toLowerCase();
    switch (name) {
      case 'fields':
      case 'display':
        return { kind: name, items: this.list(() => this.namedExpr()) };
      case 'filter':
        return { kind: 'filter', condition: this.condition() };
      case 'stats':
        return this.stats();
      case 'sort':
        return { kind: 'sort', keys: this.list(() => this.sortKey()) };
      case 'limit':
        return { kind: 'limit', count: this.limit() };
      case 'parse':
        return this.parse();
    }
    if (name === 'head' || name === 'tail')
      throw this.lexer.error(
        word.at,
        `command "${word.value}" is deprecated in Logs Insights; use limit`,
      );
    if (OTHER_COMMANDS.includes(name))
      throw this.lexer.error(
        word.at,
        `command "${word.value}" is outside the supported subset (${SUPPORTED_COMMANDS.join(', ')})`,
      );
    throw this.lexer.error(
      word.at,
      `unknown command "${word.value}"; the supported ones are SOURCE, ${SUPPORTED_COMMANDS.join(', ')}`,
    );
  }

  private list<T>(item: () => T): T[] {
    const items = [item()];
    while (isSymbol(this.lexer.peek(), ',')) {
      this.lexer.next();
      items.push(item());
    }
    return items;
  }

  private namedExpr(): NamedExpr {
    const expr = this.expression();
    const name = this.alias() ?? (expr.kind === 'field' ? expr.name : expr.text);
    return { expr, name };
  }

  private alias(): string | undefined {
    if (!isKeyword(this.lexer.peek(), 'as')) return undefined;
    this.lexer.next();
    return this.fieldName().name;
  }

  private fieldName(): FieldRef {
    const token = this.lexer.next();
    if (
      (token.kind === 'word' && !KEYWORDS.includes(token.value.toLowerCase())) ||
      token.kind === 'quotedField'
    )
      return {
        kind: 'field',
        name: token.value,
        text: this.span(token.at, token.end),
        at: token.at,
      };
    throw this.lexer.error(token.at, `expected a field name, found ${describe(token)}`);
  }

  private condition(): Expr {
    const condition = this.expression();
    const isCondition =
      !['literal', 'bin'].includes(condition.kind) &&
      !(condition.kind === 'call' && !['ispresent', 'isempty', 'isblank'].includes(condition.fn));
    if (!isCondition)
      throw this.lexer.error(
        condition.at,
        `filter needs a condition (a comparison, like, in, ispresent(), …), found ${condition.text}`,
      );
    return condition;
  }

  private stats(): Command {
    const aggregations = this.list(() => this.aggregation());
    let groupBy: NamedExpr[] = [];
    if (isKeyword(this.lexer.peek(), 'by')) {
      this.lexer.next();
      groupBy = this.list(() => this.namedExpr());
    }
    const offset = this.lexer.peek();
    if (offset.kind === 'word' && offset.value.toLowerCase() === 'offset')
      throw this.lexer.error(offset.at, 'bin() offset is outside the supported subset');
    const names = [...groupBy, ...aggregations].map((column) => column.name);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate !== undefined)
      throw this.lexer.error(
        offset.at,
        `stats yields two columns named "${duplicate}"; give one an alias with as`,
      );
    return { kind: 'stats', aggregations, groupBy };
  }

  private aggregation(): Aggregation {
    const word = this.lexer.next();
    const name = word.value.toLowerCase();
    const fn = AGGREGATES.find((f) => f === name);
    if (word.kind !== 'word' || !isSymbol(this.lexer.peek(), '(') || fn === undefined) {
      if (word.kind === 'word' && OTHER_FUNCTIONS.includes(name))
        throw this.lexer.error(word.at, `function ${word.value}() is outside the supported subset`);
      throw this.lexer.error(
        word.at,
        `stats takes aggregation functions (${AGGREGATES.join(', ')}), found ${describe(word)}`,
      );
    }
    this.lexer.next();
    let arg: Expr | undefined;
    let percentile: number | undefined;
    const star = this.lexer.peek();
    if (fn === 'count' && (isSymbol(star, ')') || isSymbol(star, '*'))) {
      if (isSymbol(star, '*')) this.lexer.next();
    } else {
      arg = this.expression();
    }
    if (fn === 'pct') {
      this.expect(',', 'pct() takes a field and a percentile: pct(field, 99)');
      const token = this.lexer.next();
      percentile = Number(token.value);
      if (token.kind !== 'number' || percentile > 100)
        throw this.lexer.error(
          token.at,
          `pct() needs a percentile from 0 to 100, found ${describe(token)}`,
        );
    }
    const close = this.expect(
      ')',
      `${fn}() takes ${fn === 'pct' ? 'two arguments' : 'one argument'}`,
    );
    const text = this.span(word.at, close.end);
    return { fn, arg, percentile, name: this.alias() ?? text };
  }

  private sortKey(): SortKey {
    const field = this.fieldName();
    if (isSymbol(this.lexer.peek(), '('))
      throw this.lexer.error(
        field.at,
        'sort takes a field name: name the column with as in stats, or quote it: `count(*)`',
      );
    const order = this.lexer.peek();
    // The docs name both orders and no default (CWL_QuerySyntax-Sort); without one, descending,
    // the order of the docs' examples (`sort @timestamp desc`) and of results without sort.
    let descending = true;
    if (isKeyword(order, 'asc') || isKeyword(order, 'desc')) {
      this.lexer.next();
      descending = order.value.toLowerCase() === 'desc';
    }
    return { field: field.name, descending };
  }

  private limit(): number {
    const token = this.lexer.next();
    if (token.kind === 'word' && token.value.toLowerCase() === 'any')
      throw this.lexer.error(token.at, '"limit any" is outside the supported subset');
    const count = Number(token.value);
    if (token.kind !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_LIMIT)
      throw this.lexer.error(
        token.at,
        `limit needs a whole number from 1 to ${MAX_LIMIT}, found ${describe(token)}`,
      );
    return count;
  }

  private parse(): Command {
    const source = this.fieldName();
    const pattern = this.lexer.peek();
    if (pattern.kind === 'string') {
      this.lexer.next();
      if (!isKeyword(this.lexer.peek(), 'as'))
        throw this.lexer.error(
          this.lexer.peek().at,
          'a parse glob needs "as" and a name for each *',
        );
      this.lexer.next();
      const names = this.list(() => this.fieldName().name);
      const parts = pattern.value.split('*');
      if (parts.length - 1 !== names.length)
        throw this.lexer.error(
          pattern.at,
          `the parse glob has ${parts.length - 1} * but ${names.length} name(s) follow "as"`,
        );
      // Unanchored like the docs' example, whose glob starts after the line's date; each * takes
      // as little as it can and a trailing * the rest of the value.
      const body = parts.map(literalRegex).join('([\\s\\S]*?)');
      const anchor = pattern.value.endsWith('*') ? '$' : '';
      return { kind: 'parse', source, pattern: compileRegex(body + anchor), names };
    }
    if (isSymbol(pattern, '/')) {
      const token = this.lexer.regex();
      const regex = this.compileRegex(token);
      const names = [...token.value.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]);
      if (names.length === 0)
        throw this.lexer.error(token.at, 'a parse regex needs named groups: (?<name>…)');
      return { kind: 'parse', source, pattern: regex, names };
    }
    throw this.lexer.error(
      pattern.at,
      `parse needs a "glob" or a /regex/, found ${describe(pattern)}`,
    );
  }

  // ---------------------------------------------------------------- expressions

  private expression(): Expr {
    let left = this.conjunction();
    while (isKeyword(this.lexer.peek(), 'or')) {
      this.lexer.next();
      const right = this.conjunction();
      left = { kind: 'or', left, right, at: left.at, text: this.span(left.at, this.endOf(right)) };
    }
    return left;
  }

  private conjunction(): Expr {
    let left = this.negation();
    while (isKeyword(this.lexer.peek(), 'and')) {
      this.lexer.next();
      const right = this.negation();
      left = { kind: 'and', left, right, at: left.at, text: this.span(left.at, this.endOf(right)) };
    }
    return left;
  }

  private negation(): Expr {
    const not = this.lexer.peek();
    if (!isKeyword(not, 'not')) return this.comparison();
    this.lexer.next();
    const operand = this.negation();
    return { kind: 'not', operand, at: not.at, text: this.span(not.at, this.endOf(operand)) };
  }

  private comparison(): Expr {
    const subject = this.operand();
    const token = this.lexer.peek();
    const negated =
      isKeyword(token, 'not') &&
      (isKeyword(this.lexer.peek(1), 'like') || isKeyword(this.lexer.peek(1), 'in'));
    if (negated) this.lexer.next();
    const operator = this.lexer.peek();
    if (isKeyword(operator, 'like') || isSymbol(operator, '=~')) {
      this.lexer.next();
      return this.match(subject, negated);
    }
    if (isKeyword(operator, 'in')) {
      this.lexer.next();
      const { values, end } = this.literalList();
      return {
        kind: 'in',
        negated,
        subject,
        values,
        at: subject.at,
        text: this.span(subject.at, end),
      };
    }
    if (operator.kind === 'symbol' && COMPARISON_OPERATORS.includes(operator.value)) {
      this.lexer.next();
      const right = this.operand();
      return {
        kind: 'compare',
        op: operator.value as ComparisonOperator,
        left: subject,
        right,
        at: subject.at,
        text: this.span(subject.at, this.endOf(right)),
      };
    }
    return subject;
  }

  private match(subject: Expr, negated: boolean): Expr {
    const token = this.lexer.peek();
    let pattern: { substring: string } | { regex: LinearRegex };
    let end: number;
    if (token.kind === 'string') {
      this.lexer.next();
      pattern = { substring: token.value };
      end = token.end;
    } else if (isSymbol(token, '/')) {
      const regex = this.lexer.regex();
      pattern = { regex: this.compileRegex(regex) };
      end = regex.end;
    } else {
      throw this.lexer.error(
        token.at,
        `like and =~ take a "substring" or a /regex/, found ${describe(token)}`,
      );
    }
    return {
      kind: 'match',
      negated,
      subject,
      pattern,
      at: subject.at,
      text: this.span(subject.at, end),
    };
  }

  private literalList(): { values: Literal[]; end: number } {
    this.expect('[', 'in takes a list: in [300, 400, 500]');
    const values: Literal[] = [];
    if (!isSymbol(this.lexer.peek(), ']')) values.push(...this.list(() => this.literal()));
    const close = this.expect(']', 'expected , or ] in the list after in');
    return { values, end: close.end };
  }

  private literal(): Literal {
    const operand = this.operand();
    if (operand.kind !== 'literal')
      throw this.lexer.error(
        operand.at,
        `the list after in holds strings and numbers, found ${operand.text}`,
      );
    return operand;
  }

  /** A value: a field, a literal, a function call or a parenthesized expression. */
  private operand(): Expr {
    const value = this.primary();
    const next = this.lexer.peek();
    if (next.kind === 'symbol' && ARITHMETIC.includes(next.value))
      throw this.lexer.error(next.at, `arithmetic (${next.value}) is outside the supported subset`);
    return value;
  }

  private primary(): Expr {
    const token = this.lexer.next();
    const text = this.span(token.at, token.end);
    switch (token.kind) {
      case 'string':
        return { kind: 'literal', value: token.value, at: token.at, text };
      case 'number':
        return { kind: 'literal', value: Number(token.value), at: token.at, text };
      case 'quotedField':
        return { kind: 'field', name: token.value, at: token.at, text };
      case 'period':
        throw this.lexer.error(
          token.at,
          `a time period such as ${token.value} is only valid inside bin()`,
        );
      case 'word':
        if (isSymbol(this.lexer.peek(), '(')) return this.call(token);
        if (KEYWORDS.includes(token.value.toLowerCase()))
          throw this.lexer.error(
            token.at,
            `expected a field or a value, found the keyword "${token.value}"`,
          );
        return { kind: 'field', name: token.value, at: token.at, text };
      case 'symbol':
        if (token.value === '(') {
          const inner = this.expression();
          const close = this.expect(')', 'expected ) to close (');
          return { ...inner, at: token.at, text: this.span(token.at, close.end) };
        }
        if (token.value === '-' && this.lexer.peek().kind === 'number') {
          const number = this.lexer.next();
          return {
            kind: 'literal',
            value: -Number(number.value),
            at: token.at,
            text: this.span(token.at, number.end),
          };
        }
        break;
    }
    throw this.lexer.error(
      token.at,
      `expected a field, a value or a function, found ${describe(token)}`,
    );
  }

  private call(word: Token): Expr {
    const name = word.value.toLowerCase();
    this.lexer.next();
    if (name === 'bin') {
      const period = this.lexer.next();
      if (period.kind !== 'period')
        throw this.lexer.error(
          period.at,
          `bin() takes a period such as 5m, found ${describe(period)}`,
        );
      const close = this.expect(')', 'bin() takes one period, such as bin(5m)');
      return {
        kind: 'bin',
        period: this.period(period),
        at: word.at,
        text: this.span(word.at, close.end),
      };
    }
    if ((AGGREGATES as readonly string[]).includes(name))
      throw this.lexer.error(
        word.at,
        `aggregation function ${word.value}() is only valid in stats`,
      );
    if (!(name in SCALAR_ARITY)) {
      if (OTHER_FUNCTIONS.includes(name))
        throw this.lexer.error(word.at, `function ${word.value}() is outside the supported subset`);
      throw this.lexer.error(word.at, `unknown function ${word.value}()`);
    }
    const fn = name as ScalarFunction;
    const args = isSymbol(this.lexer.peek(), ')') ? [] : this.list(() => this.expression());
    const close = this.expect(')', `expected , or ) in the arguments of ${word.value}()`);
    const [min, max] = SCALAR_ARITY[fn];
    if (args.length < min || args.length > max)
      throw this.lexer.error(
        word.at,
        `${word.value}() takes ${min === max ? min : `at least ${min}`} argument(s), found ${args.length}`,
      );
    if (fn === 'ispresent' && args[0].kind !== 'field')
      throw this.lexer.error(args[0].at, `ispresent() takes a field name, found ${args[0].text}`);
    return { kind: 'call', fn, args, at: word.at, text: this.span(word.at, close.end) };
  }

  private period(token: Token): Period {
    const [, digits, unit] = /^(\d+(?:\.\d+)?)([A-Za-z]+)$/.exec(token.value) ?? [];
    const count = Number(digits);
    // Only units of more than one character take a plural s: `hrs` is hours, `ds` is nothing.
    const singular =
      unit.length > 2 && unit.endsWith('s') && !(unit in FIXED_UNITS) ? unit.slice(0, -1) : unit;
    if (!Number.isInteger(count) || count < 1)
      throw this.lexer.error(token.at, `bin() needs a whole number of units, found ${token.value}`);
    if (singular in FIXED_UNITS)
      return { unit: 'fixed', milliseconds: count * FIXED_UNITS[singular] };
    if (singular in CALENDAR_UNITS)
      return { unit: 'month', months: count * CALENDAR_UNITS[singular] };
    if (WEEK_UNITS.includes(singular))
      throw this.lexer.error(
        token.at,
        'bin() by weeks is outside the supported subset (AWS does not document where a week starts)',
      );
    throw this.lexer.error(token.at, `unknown time unit "${unit}" in ${token.value}`);
  }

  // ---------------------------------------------------------------- helpers

  // The query's regex in the local engine's dialect (regex.ts): RE2, linear in the text.
  private compileRegex(token: Token): LinearRegex {
    try {
      return compileRegex(token.value);
    } catch (e: unknown) {
      if (!(e instanceof RegexSyntaxError)) throw e;
      throw this.lexer.error(token.at, `invalid regular expression /${token.value}/: ${e.message}`);
    }
  }

  private expect(symbol: string, problem: string): Token {
    const token = this.lexer.next();
    if (!isSymbol(token, symbol))
      throw this.lexer.error(token.at, `${problem}; found ${describe(token)}`);
    return token;
  }

  private span(from: number, to: number): string {
    return this.text.slice(from, to);
  }

  private endOf(expr: Expr): number {
    return expr.at + expr.text.length;
  }
}

function isSymbol(token: Token, symbol: string): boolean {
  return token.kind === 'symbol' && token.value === symbol;
}

function isKeyword(token: Token, keyword: string): boolean {
  return token.kind === 'word' && token.value.toLowerCase() === keyword;
}
