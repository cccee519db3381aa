import { QueryError } from './query-error';

export type TokenKind =
  /** A bare word: a command, keyword, function or field name (`@timestamp`, `error.name`). */
  | 'word'
  /** A field name in backticks, never a keyword. */
  | 'quotedField'
  | 'string'
  | 'number'
  /** A number followed by a unit, as `bin()` takes it: `5m`, `1hr`. */
  | 'period'
  | 'regex'
  | 'symbol'
  | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The word, the string's content, the symbol, or the regex source. */
  readonly value: string;
  /** Start and end offsets in the query. */
  readonly at: number;
  readonly end: number;
}

// "Any log field named in a query that has characters other than the @ sign, the period (.), and
// alphanumeric characters must be surrounded by backtick characters" (CWL_QuerySyntax, 2023);
// underscores are accepted bare too, as every JSON-logging example (`correlation_id`) relies on.
const WORD_START = /[A-Za-z_@]/;
const WORD_PART = /[A-Za-z0-9_@.]/;
const DIGIT = /[0-9]/;
const SYMBOLS = ['=~', '!=', '<=', '>=', '=', '<', '>', '|', ',', '(', ')', '[', ']'];
// Lexed so that the parser can name them in its error: they are outside the subset.
const UNSUPPORTED_SYMBOLS = ['*', '+', '-', '/', '%', '^'];
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', '"': '"', "'": "'" };

/**
 * Turns a query into tokens on demand. Lazy because a `/` is a regex only where the parser expects
 * one (after `like`, `=~`, or in `parse`): it asks for it with `regex()`.
 */
export class Lexer {
  private position = 0;
  private readonly lookahead: Token[] = [];

  constructor(readonly query: string) {}

  peek(ahead = 0): Token {
    while (this.lookahead.length <= ahead) this.lookahead.push(this.scan());
    return this.lookahead[ahead];
  }

  next(): Token {
    const token = this.peek();
    this.lookahead.shift();
    return token;
  }

  /** Reads `/…/` starting at the `/` the parser has just peeked. */
  regex(): Token {
    const slash = this.peek();
    if (slash.kind !== 'symbol' || slash.value !== '/')
      throw this.error(slash.at, `expected a /regular expression/, found ${describe(slash)}`);
    this.lookahead.length = 0;
    let i = slash.at + 1;
    let inClass = false;
    let source = '';
    for (;;) {
      const c = this.query[i];
      if (c === undefined || c === '\n')
        throw this.error(slash.at, 'unterminated regular expression (no closing /)');
      if (c === '\\') {
        source += c + (this.query[i + 1] ?? '');
        i += 2;
        continue;
      }
      if (c === '/' && !inClass) break;
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      source += c;
      i += 1;
    }
    this.position = i + 1;
    if (WORD_START.test(this.query[this.position] ?? ''))
      throw this.error(
        this.position,
        'flags after a regular expression are not Logs Insights syntax; put (?i) at its start',
      );
    return { kind: 'regex', value: source, at: slash.at, end: this.position };
  }

  error(offset: number, problem: string): QueryError {
    return new QueryError(this.query, offset, problem);
  }

  private scan(): Token {
    this.skipSpaceAndComments();
    const at = this.position;
    const c = this.query[at];
    if (c === undefined) return { kind: 'end', value: '', at, end: at };
    if (WORD_START.test(c)) return this.take('word', at, this.runOf(WORD_PART, at));
    if (DIGIT.test(c)) return this.number(at);
    if (c === '"' || c === "'") return this.string(at, c);
    if (c === '`') {
      const close = this.query.indexOf('`', at + 1);
      if (close < 0) throw this.error(at, 'unterminated `field name` (no closing backtick)');
      if (close === at + 1) throw this.error(at, 'empty `` field name');
      this.position = close + 1;
      return { kind: 'quotedField', value: this.query.slice(at + 1, close), at, end: close + 1 };
    }
    const symbol = [...SYMBOLS, ...UNSUPPORTED_SYMBOLS].find((s) => this.query.startsWith(s, at));
    if (symbol) return this.take('symbol', at, at + symbol.length);
    throw this.error(at, `unexpected character ${JSON.stringify(c)}`);
  }

  // "Lines that start with the # character are ignored" (CWL_QuerySyntax); the docs' own example
  // indents them.
  private skipSpaceAndComments(): void {
    for (;;) {
      while (/\s/.test(this.query[this.position] ?? '')) this.position += 1;
      if (this.query[this.position] !== '#') return;
      const lineStart = this.query.lastIndexOf('\n', this.position - 1) + 1;
      if (this.query.slice(lineStart, this.position).trim() !== '') return;
      const newline = this.query.indexOf('\n', this.position);
      this.position = newline < 0 ? this.query.length : newline;
    }
  }

  private number(at: number): Token {
    let end = this.runOf(DIGIT, at);
    if (this.query[end] === '.' && DIGIT.test(this.query[end + 1] ?? ''))
      end = this.runOf(DIGIT, end + 1);
    if (/[A-Za-z]/.test(this.query[end] ?? ''))
      return this.take('period', at, this.runOf(/[A-Za-z]/, end));
    return this.take('number', at, end);
  }

  private string(at: number, quote: string): Token {
    let value = '';
    let i = at + 1;
    for (;;) {
      const c = this.query[i];
      if (c === undefined) throw this.error(at, `unterminated string (no closing ${quote})`);
      if (c === quote) break;
      if (c === '\\' && i + 1 < this.query.length) {
        const escaped = this.query[i + 1];
        value += ESCAPES[escaped] ?? c + escaped;
        i += 2;
        continue;
      }
      value += c;
      i += 1;
    }
    this.position = i + 1;
    return { kind: 'string', value, at, end: i + 1 };
  }

  private runOf(pattern: RegExp, from: number): number {
    let end = from;
    while (end < this.query.length && pattern.test(this.query[end])) end += 1;
    return end;
  }

  private take(kind: TokenKind, at: number, end: number): Token {
    this.position = end;
    return { kind, value: this.query.slice(at, end), at, end };
  }
}

export function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the query';
    case 'string':
      return `the string ${JSON.stringify(token.value)}`;
    case 'quotedField':
      return `\`${token.value}\``;
    default:
      return `"${token.value}"`;
  }
}
