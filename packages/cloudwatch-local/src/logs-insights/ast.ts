/**
 * The typed form of a Logs Insights query: the subset the local interpreter runs (see parser.ts).
 * Every node keeps `text`, its spelling in the query, because Logs Insights names an unaliased
 * result column after the expression that produced it (`count(*)`, `avg(latencyMs)`, `bin(5m)`).
 */
import type { LinearRegex } from './regex';

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** Scalar functions of the subset, by their lower-case name. */
export type ScalarFunction =
  'ispresent' | 'isempty' | 'isblank' | 'concat' | 'strlen' | 'tolower' | 'toupper' | 'coalesce';

/** Aggregation functions of the subset (`stats` only). */
export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'pct' | 'count_distinct';

interface Node {
  /** The expression as written in the query. */
  readonly text: string;
  /** Offset of its first character in the query. */
  readonly at: number;
}

export interface FieldRef extends Node {
  readonly kind: 'field';
  readonly name: string;
}

export interface Literal extends Node {
  readonly kind: 'literal';
  readonly value: string | number;
}

export interface Call extends Node {
  readonly kind: 'call';
  readonly fn: ScalarFunction;
  readonly args: readonly Expr[];
}

/** `bin(5m)`: @timestamp truncated to a period. */
export interface Bin extends Node {
  readonly kind: 'bin';
  readonly period: Period;
}

export interface Comparison extends Node {
  readonly kind: 'compare';
  readonly op: ComparisonOperator;
  readonly left: Expr;
  readonly right: Expr;
}

/** `like` / `=~` / `not like`, with a quoted substring or a /regex/. */
export interface Match extends Node {
  readonly kind: 'match';
  readonly negated: boolean;
  readonly subject: Expr;
  readonly pattern: { readonly substring: string } | { readonly regex: LinearRegex };
}

export interface Membership extends Node {
  readonly kind: 'in';
  readonly negated: boolean;
  readonly subject: Expr;
  readonly values: readonly Literal[];
}

export interface Logical extends Node {
  readonly kind: 'and' | 'or';
  readonly left: Expr;
  readonly right: Expr;
}

export interface Not extends Node {
  readonly kind: 'not';
  readonly operand: Expr;
}

export type Expr =
  FieldRef | Literal | Call | Bin | Comparison | Match | Membership | Logical | Not;

/** A time period of `bin()`: a fixed length, or a calendar unit counted in UTC. */
export type Period =
  | { readonly unit: 'fixed'; readonly milliseconds: number }
  | { readonly unit: 'month'; readonly months: number };

/** `expr [as name]`: `name` is the alias, else the field's name, else the expression's text. */
export interface NamedExpr {
  readonly expr: Expr;
  readonly name: string;
}

export interface Aggregation {
  readonly fn: AggregateFunction;
  /** Absent for `count()` and `count(*)`. */
  readonly arg?: Expr;
  /** pct's second argument, 0–100. */
  readonly percentile?: number;
  readonly name: string;
}

export interface SortKey {
  readonly field: string;
  readonly descending: boolean;
}

export type Command =
  | { readonly kind: 'fields'; readonly items: readonly NamedExpr[] }
  | { readonly kind: 'display'; readonly items: readonly NamedExpr[] }
  | { readonly kind: 'filter'; readonly condition: Expr }
  | {
      readonly kind: 'stats';
      readonly aggregations: readonly Aggregation[];
      readonly groupBy: readonly NamedExpr[];
    }
  | { readonly kind: 'sort'; readonly keys: readonly SortKey[] }
  | { readonly kind: 'limit'; readonly count: number }
  | {
      readonly kind: 'parse';
      readonly source: FieldRef;
      /** Positional groups for a glob, named groups for a regex; `names` in group order. */
      readonly pattern: LinearRegex;
      readonly names: readonly string[];
    };

export interface Query {
  readonly text: string;
  /** Log groups named by the dashboard form `SOURCE 'group' | …`; empty when the caller gives them. */
  readonly sources: readonly string[];
  readonly commands: readonly Command[];
}
