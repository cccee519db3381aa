/**
 * Runs a parsed Logs Insights query over log events, command after command as the pipes order
 * them, and returns what GetQueryResults would: columns and rows of strings.
 */
import type { Aggregation, Command, Expr, NamedExpr, Period, Query, SortKey } from './ast';
import { eventRow, type LogEvent } from './log-event';
import type { LogStore } from './log-store';
import { DEFAULT_LIMIT, parseQuery } from './parser';
import {
  compareValues,
  displayValue,
  numericValue,
  Timestamp,
  valuesEqual,
  type Row,
  type Value,
} from './values';

export interface QueryResult {
  readonly columns: readonly string[];
  /** One record per row; a field the row does not have is absent, as in GetQueryResults. */
  readonly rows: readonly Record<string, string>[];
}

export interface RunQueryOptions {
  readonly store: LogStore;
  /** ms since the epoch; events with start <= @timestamp < end. */
  readonly start: number;
  readonly end: number;
  /** The groups to read when the query names none with SOURCE. */
  readonly logGroups?: readonly string[];
}

// "filter (duration>2000)" alone shows "the @timestamp and all log data in the @message field"
// (CWL_QuerySyntax 2023).
const DEFAULT_COLUMNS = ['@timestamp', '@message'];

/** Parses (when given text) and runs a query over the store's events of its log groups. */
export async function runQuery(
  query: string | Query,
  options: RunQueryOptions,
): Promise<QueryResult> {
  const parsed = typeof query === 'string' ? parseQuery(query) : query;
  const groups = parsed.sources.length > 0 ? parsed.sources : (options.logGroups ?? []);
  if (groups.length === 0)
    throw new Error(
      'Logs Insights query: no log group (neither SOURCE in the query nor logGroups)',
    );
  if (
    !Number.isFinite(options.start) ||
    !Number.isFinite(options.end) ||
    options.start > options.end
  )
    throw new Error(`Logs Insights query: invalid time range [${options.start}, ${options.end})`);
  return executeQuery(parsed, await options.store.events(groups, options.start, options.end));
}

/** Runs a parsed query over these events (already chosen by group and time). */
export function executeQuery(query: Query, events: readonly LogEvent[]): QueryResult {
  // Without sort, newest first: the order of the AWS CLI's get-query-results example.
  let rows = events.map(eventRow).sort((a, b) => epochMs(b) - epochMs(a));
  let fields: string[] = [];
  let display: readonly string[] | undefined;
  let limited = false;
  for (const command of query.commands) {
    rows = apply(command, rows);
    switch (command.kind) {
      // "If you have multiple fields commands and do not include a display command, the fields
      // specified in all of the fields commands are displayed." (CWL_QuerySyntax 2023)
      case 'fields':
        fields = union(
          fields,
          command.items.map((item) => item.name),
        );
        break;
      // "only the fields you specify in the last occurrence are used"
      case 'display':
        display = command.items.map((item) => item.name);
        break;
      case 'stats':
        fields = [...command.groupBy, ...command.aggregations].map((column) => column.name);
        display = undefined;
        break;
      case 'limit':
        limited = true;
        break;
    }
  }
  if (!limited) rows = rows.slice(0, DEFAULT_LIMIT);
  const columns = display ?? (fields.length > 0 ? fields : DEFAULT_COLUMNS);
  return {
    columns,
    rows: rows.map((row) =>
      Object.fromEntries(
        columns.flatMap((column) => {
          const value = row.get(column);
          return value === undefined ? [] : [[column, displayValue(value)]];
        }),
      ),
    ),
  };
}

function apply(command: Command, rows: Row[]): Row[] {
  switch (command.kind) {
    case 'fields':
    case 'display':
      for (const row of rows) assign(row, command.items);
      return rows;
    case 'filter':
      return rows.filter((row) => isTrue(evaluate(command.condition, row)));
    case 'parse':
      for (const row of rows) {
        const value = row.get(command.source.name);
        const match = value === undefined ? null : command.pattern.exec(displayValue(value));
        // "If a log event doesn't match the specified pattern, you still see it in the results,
        // but without the extracted fields." (CWL_QuerySyntax-Parse)
        command.names.forEach((name, i) => {
          const extracted = match?.groups?.[name] ?? match?.[i + 1];
          if (extracted === undefined) row.delete(name);
          else row.set(name, extracted);
        });
      }
      return rows;
    case 'sort':
      return [...rows].sort((a, b) => compareRows(a, b, command.keys));
    case 'limit':
      return rows.slice(0, command.count);
    case 'stats':
      return stats(rows, command.aggregations, command.groupBy);
  }
}

function assign(row: Row, items: readonly NamedExpr[]): void {
  for (const { expr, name } of items) {
    if (expr.kind === 'field' && expr.name === name) continue;
    const value = evaluate(expr, row);
    if (value === undefined) row.delete(name);
    else row.set(name, value);
  }
}

// Missing values sort last in either order: the docs order values only.
function compareRows(a: Row, b: Row, keys: readonly SortKey[]): number {
  for (const { field, descending } of keys) {
    const x = a.get(field);
    const y = b.get(field);
    if (x === undefined || y === undefined) {
      if (x !== y) return x === undefined ? 1 : -1;
      continue;
    }
    const order = compareValues(x, y);
    if (order !== 0) return descending ? -order : order;
  }
  return 0;
}

/** One row per group, the group's keys then its aggregates; ordered by the keys, ascending. */
function stats(
  rows: readonly Row[],
  aggregations: readonly Aggregation[],
  groupBy: readonly NamedExpr[],
): Row[] {
  const groups = new Map<string, { keys: (Value | undefined)[]; rows: Row[] }>();
  for (const row of rows) {
    const keys = groupBy.map(({ expr }) => evaluate(expr, row));
    const id = JSON.stringify(
      keys.map((key) => (key === undefined ? null : [typeof key, displayValue(key)])),
    );
    const group = groups.get(id) ?? { keys, rows: [] };
    group.rows.push(row);
    groups.set(id, group);
  }
  // Without `by`, one row even over no events, as an SQL aggregate: count() is then 0.
  if (groupBy.length === 0 && groups.size === 0) groups.set('', { keys: [], rows: [] });
  const result = [...groups.values()].map(({ keys, rows: members }) => {
    const out: Row = new Map();
    groupBy.forEach(({ name }, i) => {
      const key = keys[i];
      if (key !== undefined) out.set(name, key);
    });
    for (const aggregation of aggregations) {
      const value = aggregate(aggregation, members);
      if (value !== undefined) out.set(aggregation.name, value);
    }
    return out;
  });
  const keyOrder = groupBy.map(({ name }) => ({ field: name, descending: false }));
  return result.sort((a, b) => compareRows(a, b, keyOrder));
}

function aggregate({ fn, arg, percentile }: Aggregation, rows: readonly Row[]): Value | undefined {
  if (fn === 'count' && arg === undefined) return rows.length;
  const values = rows.flatMap((row) => {
    const value = arg && evaluate(arg, row);
    return value === undefined ? [] : [value];
  });
  // sum, avg and pct read numbers ("NumericLogField"); a value that is not one is skipped.
  const numbers = values.flatMap((value) => {
    const number = numericValue(value);
    return number === undefined ? [] : [number];
  });
  switch (fn) {
    case 'count':
      return values.length;
    case 'count_distinct':
      return new Set(values.map(displayValue)).size;
    case 'sum':
      return numbers.length === 0 ? undefined : numbers.reduce((a, b) => a + b, 0);
    case 'avg':
      return numbers.length === 0 ? undefined : numbers.reduce((a, b) => a + b, 0) / numbers.length;
    case 'min':
    case 'max': {
      const sorted = [...values].sort(compareValues);
      return fn === 'min' ? sorted[0] : sorted[sorted.length - 1];
    }
    case 'pct': {
      // "returns the @duration value at which 95 percent of the values of @duration are lower than
      // this value" (CWL_QuerySyntax): a value of the field (its result type is LogFieldValue), so
      // the nearest rank, not an interpolation.
      if (numbers.length === 0) return undefined;
      const sorted = [...numbers].sort((a, b) => a - b);
      const rank = Math.ceil(((percentile ?? 0) / 100) * sorted.length);
      return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
    }
  }
}

/** The expression's value in this row; undefined when it has none (a missing field). */
function evaluate(expr: Expr, row: Row): Value | undefined {
  switch (expr.kind) {
    case 'field':
      return row.get(expr.name);
    case 'literal':
      return expr.value;
    case 'bin': {
      const timestamp = row.get('@timestamp');
      return timestamp instanceof Timestamp
        ? new Timestamp(truncate(timestamp.epochMs, expr.period))
        : undefined;
    }
    // A comparison with a missing side is false, whatever the operator.
    case 'compare': {
      const left = evaluate(expr.left, row);
      const right = evaluate(expr.right, row);
      if (left === undefined || right === undefined) return false;
      return compare(expr.op, left, right);
    }
    case 'match': {
      const subject = evaluate(expr.subject, row);
      if (subject === undefined) return false;
      const text = displayValue(subject);
      const found =
        'regex' in expr.pattern
          ? expr.pattern.regex.test(text)
          : text.includes(expr.pattern.substring);
      return found !== expr.negated;
    }
    case 'in': {
      const subject = evaluate(expr.subject, row);
      if (subject === undefined) return false;
      return expr.values.some((literal) => valuesEqual(subject, literal.value)) !== expr.negated;
    }
    case 'and':
      return isTrue(evaluate(expr.left, row)) && isTrue(evaluate(expr.right, row));
    case 'or':
      return isTrue(evaluate(expr.left, row)) || isTrue(evaluate(expr.right, row));
    case 'not':
      return !isTrue(evaluate(expr.operand, row));
    case 'call':
      return call(expr.fn, expr.args, row);
  }
}

function call(
  fn: Extract<Expr, { kind: 'call' }>['fn'],
  args: readonly Expr[],
  row: Row,
): Value | undefined {
  const values = args.map((arg) => evaluate(arg, row));
  const [first] = values;
  const text = first === undefined ? undefined : displayValue(first);
  switch (fn) {
    case 'ispresent':
      return first !== undefined;
    // "Returns true if the field is missing or is an empty string."
    case 'isempty':
      return text === undefined || text === '';
    // "... an empty string, or contains only white space."
    case 'isblank':
      return text === undefined || text.trim() === '';
    case 'concat':
      return values.map((value) => (value === undefined ? '' : displayValue(value))).join('');
    // "Returns the length of the string in Unicode code points."
    case 'strlen':
      return text === undefined ? undefined : Array.from(text).length;
    case 'tolower':
      return text?.toLowerCase();
    case 'toupper':
      return text?.toUpperCase();
    // "Returns the first non-null value from the list."
    case 'coalesce':
      return values.find((value) => value !== undefined);
  }
}

function compare(op: Extract<Expr, { kind: 'compare' }>['op'], left: Value, right: Value): boolean {
  if (op === '=') return valuesEqual(left, right);
  if (op === '!=') return !valuesEqual(left, right);
  const x = numericValue(left);
  const y = numericValue(right);
  const order = x !== undefined && y !== undefined ? x - y : compareValues(left, right);
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

function isTrue(value: Value | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  const number = numericValue(value);
  return number !== undefined && number !== 0;
}

// "Rounds the value of @timestamp to the given time period and then truncates" (CWL_QuerySyntax):
// bins start at multiples of the period since the epoch, months at the start of a UTC month.
function truncate(epochMs: number, period: Period): number {
  if (period.unit === 'fixed')
    return Math.floor(epochMs / period.milliseconds) * period.milliseconds;
  const date = new Date(epochMs);
  const months = date.getUTCFullYear() * 12 + date.getUTCMonth();
  const start = Math.floor(months / period.months) * period.months;
  return Date.UTC(Math.floor(start / 12), start % 12, 1);
}

function epochMs(row: Row): number {
  const timestamp = row.get('@timestamp');
  return timestamp instanceof Timestamp ? timestamp.epochMs : 0;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...a, ...b.filter((name) => !a.includes(name))];
}
