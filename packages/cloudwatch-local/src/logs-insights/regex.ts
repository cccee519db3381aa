/**
 * The regular expressions of a query (`like /…/`, `=~ /…/`, `parse … /…/`, and the regex a parse
 * glob becomes), matched in time linear in the text: RE2's syntax and engine, through re2js, a
 * port of RE2 to JavaScript (https://github.com/le0pard/re2js). JavaScript's RegExp backtracks:
 * `/(a+)+$/` over thirty `a` and a `!` takes minutes, and a query is text anyone can send.
 *
 * Logs Insights' own engine is Hyperscan ("CloudWatch Logs Insights supports Hyperscan",
 * CWL_QuerySyntax, "Matches and regular expressions in the filter command"), which follows PCRE's
 * syntax without backreferences, lookaround, atomic groups or possessive quantifiers
 * (https://intel.github.io/hyperscan/dev-reference/compilation.html, "Unsupported Constructs").
 * RE2 refuses those too; what differs:
 * - Hyperscan's `(?x)` (extended syntax), `(?#…)` comments, `\Z`, `\h` and `\v` are refused here,
 *   each with an error naming it; RE2's `(?U)` (ungreedy) is refused as Hyperscan has no such flag.
 * - `$` without `(?m)` matches only at the very end of the text (PCRE also before a final newline).
 * - `(?i)` folds case by Unicode's simple folding (Hyperscan folds ASCII unless in UCP mode).
 * - Captures (`parse`) take RE2's leftmost-first submatches, which are Perl's for every pattern
 *   RE2 accepts. Hyperscan ignores captures, so AWS's `parse` uses some other engine, undocumented.
 */
import { RE2JS } from 're2js';

/** A compiled pattern: the subset of RegExp's interface the interpreter uses. */
export interface LinearRegex {
  /** The pattern as written in the query. */
  readonly source: string;
  test(text: string): boolean;
  /** The first match with its numbered and named groups (undefined when a group did not take part). */
  exec(text: string): RegexMatch | null;
}

export interface RegexMatch {
  readonly [group: number]: string | undefined;
  readonly groups?: Readonly<Record<string, string | undefined>>;
}

/** A pattern the local engine cannot run, and why. */
export class RegexSyntaxError extends Error {
  override readonly name = 'RegexSyntaxError';
}

// Hyperscan constructs RE2 would refuse with a message about RE2: named here in Logs Insights' terms.
const HYPERSCAN_ONLY: readonly (readonly [RegExp, string])[] = [
  [/\(\?[a-zA-Z-]*x[a-zA-Z-]*[:)]/, 'the (?x) flag (extended syntax) is not supported locally'],
  [/\(\?#/, '(?#…) comments are not supported locally'],
  [/(^|[^\\])(\\\\)*\\[hHvVR]/, '\\h, \\v and \\R are not supported locally (use [ \\t] or \\n)'],
  [/(^|[^\\])(\\\\)*\\Z/, '\\Z is not supported locally (use \\z or $)'],
  [/\(\?[a-zA-Z-]*U[a-zA-Z-]*[:)]/, 'the (?U) flag is not Logs Insights syntax'],
];

/**
 * Compiles a query's pattern; throws a RegexSyntaxError naming the problem. RE2 bounds a pattern's
 * size itself (a repeat count is at most 1,000, and a nested repeat may not exceed that in all).
 */
export function compileRegex(source: string): LinearRegex {
  for (const [construct, problem] of HYPERSCAN_ONLY)
    if (construct.test(source)) throw new RegexSyntaxError(problem);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source);
  } catch (e: unknown) {
    const message = e instanceof Error ? e.message : String(e);
    throw new RegexSyntaxError(
      `${message.replace(/^error parsing regexp: /, '')} (the local engine is RE2: no backreferences, lookaround, atomic groups or possessive quantifiers, as in Hyperscan)`,
    );
  }
  return {
    source,
    test: (text) => compiled.test(text),
    exec: (text) => compiled.exec(text),
  };
}

/** The pattern matching `text` literally. */
export function literalRegex(text: string): string {
  return RE2JS.quote(text);
}
