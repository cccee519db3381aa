/** A point in time (ms since the epoch): what @timestamp and bin() hold. */
export class Timestamp {
  constructor(readonly epochMs: number) {}
}

/** A field's value; a field that is absent has no entry in its row. */
export type Value = string | number | boolean | Timestamp;

/** One log event's fields, or one result row of `stats`. A Map: JSON keys can be anything. */
export type Row = Map<string, Value>;

// "Number values are values that include only numbers" (CWL_QuerySyntax-Sort). A string from
// `parse` or a JSON string holding a number counts too, so that `filter latency > 100` works on
// what `parse` extracted.
const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** The value as a number when it is one, else undefined. */
export function numericValue(value: Value): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Timestamp) return value.epochMs;
  return NUMBER.test(value) ? Number(value) : undefined;
}

/**
 * The value as GetQueryResults returns it: a string. Timestamps as `2024-05-19 06:10:35.743` (UTC),
 * the form of the AWS CLI's get-query-results example (aws-cli awscli/examples/logs/
 * get-query-results.rst). Booleans as 1 and 0: "The value of isRes is either 0 or 1"
 * (CWL_QuerySyntax 2023, on `fields ispresent(resolverArn) as isRes`).
 */
export function displayValue(value: Value): string {
  if (value instanceof Timestamp) return formatTimestamp(value.epochMs);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace('Z', '');
}

/** `=` and `in`: numerically when both sides are numbers, else as the strings shown. */
export function valuesEqual(a: Value, b: Value): boolean {
  const x = numericValue(a);
  const y = numericValue(b);
  if (x !== undefined && y !== undefined) return x === y;
  return displayValue(a) === displayValue(b);
}

/**
 * Ascending order as `sort` defines it (CWL_QuerySyntax-Sort): "All non-number values come before
 * all number values"; non-number values are cut into chunks of digits and of other characters,
 * "It orders non-numeric portions by their Unicode values, and it orders numeric portions by their
 * length first and then by their numerical value."
 */
export function compareValues(a: Value, b: Value): number {
  const x = numericValue(a);
  const y = numericValue(b);
  if (x !== undefined && y !== undefined)
    return x - y || compareCodePoints(displayValue(a), displayValue(b));
  if (x !== undefined) return 1;
  if (y !== undefined) return -1;
  const left = chunks(displayValue(a));
  const right = chunks(displayValue(b));
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const order = compareChunks(left[i], right[i]);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

function chunks(text: string): string[] {
  return text.match(/\d+|\D+/g) ?? [];
}

function compareChunks(a: string, b: string): number {
  const digits = /^\d/;
  if (digits.test(a) && digits.test(b)) return a.length - b.length || compareCodePoints(a, b);
  return compareCodePoints(a, b);
}

function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const order = (x[i].codePointAt(0) ?? 0) - (y[i].codePointAt(0) ?? 0);
    if (order !== 0) return order;
  }
  return x.length - y.length;
}
