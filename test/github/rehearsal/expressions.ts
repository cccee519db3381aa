/**
 * GitHub Actions expressions (`${{ … }}`), evaluated as GitHub documents them:
 * https://docs.github.com/en/actions/reference/workflows-and-actions/expressions (literals,
 * operators, loose equality and its number coercion, case-insensitive string comparison, falsy
 * values, functions, object filters, status check functions) and
 * https://docs.github.com/en/actions/reference/workflows-and-actions/contexts ("Context
 * availability": which contexts and status functions each workflow key may use; a nonexistent
 * property evaluates to null, which reads as '').
 *
 * Where the docs are silent, the choice made here follows actions/runner's evaluator and is said
 * beside the code (objects interpolated into a string read "Object" and "Array").
 */

export type Value = null | boolean | number | string | readonly Value[] | { [key: string]: Value };

/** What `success()`, `failure()` and `cancelled()` answer where the key allows them. */
export interface StatusFunctions {
  readonly success: () => boolean;
  readonly failure: () => boolean;
  readonly cancelled: () => boolean;
}

export interface Scope {
  /** Context values by name (github, env, vars, inputs, steps, needs, job, jobs, runner, secrets…). */
  readonly contexts: Readonly<Record<string, Value>>;
  /** The context names the workflow key allows; any other is "Unrecognized named-value". */
  readonly allowed: readonly string[];
  /** Present only where the key allows status check functions (`if`). */
  readonly status?: StatusFunctions;
  /** The workflow key being evaluated, for error messages (e.g. "jobs.deploy.if"). */
  readonly where: string;
}

export class ExpressionError extends Error {}

type Token =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'word'; value: string }
  | { kind: 'punct'; value: string };

const PUNCTUATION = [
  '&&',
  '||',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '!',
  '(',
  ')',
  '[',
  ']',
  '.',
  ',',
  '*',
];

/** Any number format JSON allows, and the hexadecimal form the docs show (`0xff`). */
const NUMBER = /^(?:0x[0-9a-fA-F]+|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/;
/** Property names: "must start with a letter or _ and contain only alphanumeric characters, -, or _". */
const WORD = /^[A-Za-z_][A-Za-z0-9_-]*/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const rest = source.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    if (rest.startsWith("'")) {
      let value = '';
      let end = 1;
      for (;;) {
        if (end >= rest.length) throw new ExpressionError(`Unterminated string in: ${source}`);
        if (rest[end] === "'") {
          if (rest[end + 1] === "'") {
            value += "'";
            end += 2;
            continue;
          }
          break;
        }
        value += rest[end];
        end += 1;
      }
      tokens.push({ kind: 'string', value });
      at += end + 1;
      continue;
    }
    if (rest.startsWith('"')) {
      throw new ExpressionError(
        `Strings take single quotes; double quotes are an error: ${source}`,
      );
    }
    // A number follows an operator or the start, never a property dereference (`a.0` is no number).
    const previous = tokens.at(-1);
    const afterValue =
      previous !== undefined &&
      (previous.kind !== 'punct' || previous.value === ')' || previous.value === ']');
    const number = afterValue ? null : NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      at += number[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      tokens.push({ kind: 'word', value: word[0] });
      at += word[0].length;
      continue;
    }
    const punct = PUNCTUATION.find((candidate) => rest.startsWith(candidate));
    if (punct === undefined) {
      throw new ExpressionError(`Unexpected symbol '${rest[0]}' in: ${source}`);
    }
    tokens.push({ kind: 'punct', value: punct });
    at += punct.length;
  }
  return tokens;
}

type Node =
  | { type: 'literal'; value: Value }
  | { type: 'context'; name: string }
  | { type: 'property'; target: Node; name: string }
  | { type: 'index'; target: Node; index: Node }
  | { type: 'filter'; target: Node }
  | { type: 'not'; operand: Node }
  | { type: 'binary'; operator: string; left: Node; right: Node }
  | { type: 'call'; name: string; args: Node[] };

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): Node {
    const node = this.or();
    if (this.at < this.tokens.length) this.fail(`unexpected '${this.peekText()}'`);
    return node;
  }

  private fail(message: string): never {
    throw new ExpressionError(`${message} in: ${this.source}`);
  }

  private peekText(): string {
    const token = this.tokens[this.at];
    return token === undefined ? 'end' : String(token.value);
  }

  private accept(punct: string): boolean {
    const token = this.tokens[this.at];
    if (token?.kind === 'punct' && token.value === punct) {
      this.at += 1;
      return true;
    }
    return false;
  }

  private expect(punct: string): void {
    if (!this.accept(punct)) this.fail(`expected '${punct}' but found '${this.peekText()}'`);
  }

  private binary(next: () => Node, operators: readonly string[]): Node {
    let left = next();
    for (;;) {
      const operator = operators.find((candidate) => this.accept(candidate));
      if (operator === undefined) return left;
      left = { type: 'binary', operator, left, right: next() };
    }
  }

  private or = (): Node => this.binary(this.and, ['||']);
  private and = (): Node => this.binary(this.equality, ['&&']);
  private equality = (): Node => this.binary(this.comparison, ['==', '!=']);
  private comparison = (): Node => this.binary(this.unary, ['<=', '>=', '<', '>']);

  private unary = (): Node => {
    if (this.accept('!')) return { type: 'not', operand: this.unary() };
    return this.postfix();
  };

  private postfix(): Node {
    let node = this.primary();
    for (;;) {
      if (this.accept('.')) {
        if (this.accept('*')) {
          node = { type: 'filter', target: node };
          continue;
        }
        const token = this.tokens[this.at];
        if (token?.kind !== 'word') this.fail(`expected a property name after '.'`);
        this.at += 1;
        node = { type: 'property', target: node, name: token.value };
      } else if (this.accept('[')) {
        if (this.accept('*')) {
          this.expect(']');
          node = { type: 'filter', target: node };
          continue;
        }
        const index = this.or();
        this.expect(']');
        node = { type: 'index', target: node, index };
      } else {
        return node;
      }
    }
  }

  private primary(): Node {
    const token = this.tokens[this.at];
    if (token === undefined) this.fail('unexpected end of expression');
    this.at += 1;
    if (token.kind === 'number' || token.kind === 'string')
      return { type: 'literal', value: token.value };
    if (token.kind === 'punct') {
      if (token.value === '(') {
        const inner = this.or();
        this.expect(')');
        return inner;
      }
      this.fail(`unexpected '${token.value}'`);
    }
    const word = token.value;
    if (this.accept('(')) {
      const args: Node[] = [];
      if (!this.accept(')')) {
        do args.push(this.or());
        while (this.accept(','));
        this.expect(')');
      }
      return { type: 'call', name: word.toLowerCase(), args };
    }
    if (word === 'true' || word === 'false') return { type: 'literal', value: word === 'true' };
    if (word === 'null') return { type: 'literal', value: null };
    return { type: 'context', name: word.toLowerCase() };
  }
}

/** An array made by an object filter: a property read on it reads each element's property. */
class Filtered extends Array<Value> {}

const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'];

function isObject(value: Value): value is { [key: string]: Value } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Property lookup: exact name first, then ignoring case (context keys are case-insensitive). */
function property(target: Value, name: string): Value {
  if (!isObject(target)) return null;
  if (Object.prototype.hasOwnProperty.call(target, name)) return target[name] ?? null;
  const key = Object.keys(target).find(
    (candidate) => candidate.toLowerCase() === name.toLowerCase(),
  );
  return key === undefined ? null : (target[key] ?? null);
}

/** "falsy values (false, 0, -0, "", '', null) are coerced to false", NaN too. */
export function truthy(value: Value): boolean {
  if (value === null || value === false || value === '') return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return true;
}

/** The docs' conversion to a number for a comparison of mismatched types. */
function toNumber(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return 0;
    return NUMBER.exec(trimmed)?.[0] === trimmed ? Number(trimmed) : Number.NaN;
  }
  return Number.NaN;
}

/**
 * The docs' conversion to a string. Arrays and objects are "not converted" by the functions; where
 * a whole template needs a string, actions/runner's EvaluationResult.ConvertToString writes
 * "Array" and "Object", and so does this.
 */
export function toText(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? 'Array' : 'Object';
}

function looseEquals(left: Value, right: Value): boolean {
  if (typeof left === 'string' && typeof right === 'string')
    return left.toLowerCase() === right.toLowerCase();
  if (left === null && right === null) return true;
  if (typeof left === 'object' && left !== null) return left === right;
  if (typeof right === 'object' && right !== null) return false;
  if (typeof left === typeof right) return left === right;
  const a = toNumber(left);
  const b = toNumber(right);
  return !Number.isNaN(a) && !Number.isNaN(b) && a === b;
}

function compare(operator: string, left: Value, right: Value): boolean {
  let a: number | string;
  let b: number | string;
  if (typeof left === 'string' && typeof right === 'string') {
    a = left.toLowerCase();
    b = right.toLowerCase();
  } else {
    a = toNumber(left);
    b = toNumber(right);
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
  }
  switch (operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/** `format('{0} {{x}}', …)`: `{N}` replaced, doubled braces are literal braces. */
function format(template: string, args: readonly Value[]): string {
  let out = '';
  for (let at = 0; at < template.length; at += 1) {
    const char = template[at];
    if (char === '{' && template[at + 1] === '{') {
      out += '{';
      at += 1;
    } else if (char === '}' && template[at + 1] === '}') {
      out += '}';
      at += 1;
    } else if (char === '{') {
      const close = template.indexOf('}', at);
      const index = Number(template.slice(at + 1, close));
      if (close === -1 || !Number.isInteger(index) || index < 0 || index >= args.length) {
        throw new ExpressionError(`format: the string '${template}' has an invalid placeholder`);
      }
      out += toText(args[index]);
      at = close;
    } else if (char === '}') {
      throw new ExpressionError(`format: the string '${template}' has an unmatched '}'`);
    } else {
      out += char;
    }
  }
  return out;
}

function toJson(value: Value): string {
  return JSON.stringify(value, null, 2);
}

class Evaluator {
  constructor(private readonly scope: Scope) {}

  evaluate(node: Node): Value {
    switch (node.type) {
      case 'literal':
        return node.value;
      case 'context': {
        if (!this.scope.allowed.includes(node.name)) {
          throw new ExpressionError(
            `Unrecognized named-value: '${node.name}' (${this.scope.where} allows ${this.scope.allowed.join(', ')})`,
          );
        }
        return this.scope.contexts[node.name] ?? null;
      }
      case 'property': {
        const target = this.evaluate(node.target);
        if (target instanceof Filtered) {
          const out = new Filtered();
          for (const item of target) {
            const value = property(item, node.name);
            if (value !== null) out.push(value);
          }
          return out;
        }
        return property(target, node.name);
      }
      case 'index': {
        const target = this.evaluate(node.target);
        const index = this.evaluate(node.index);
        if (Array.isArray(target)) {
          const at = toNumber(index);
          return Number.isInteger(at) ? ((target as Value[])[at] ?? null) : null;
        }
        return property(target, toText(index));
      }
      case 'filter': {
        const target = this.evaluate(node.target);
        const out = new Filtered();
        if (Array.isArray(target)) out.push(...(target as Value[]));
        else if (isObject(target)) out.push(...Object.values(target));
        return out;
      }
      case 'not':
        return !truthy(this.evaluate(node.operand));
      case 'binary':
        return this.binary(node.operator, node.left, node.right);
      case 'call':
        return this.call(node.name, node.args);
    }
  }

  private binary(operator: string, leftNode: Node, rightNode: Node): Value {
    const left = this.evaluate(leftNode);
    // && and || give back an operand, not a boolean (`cond && 'a' || 'b'` works as a choice).
    if (operator === '&&') return truthy(left) ? this.evaluate(rightNode) : left;
    if (operator === '||') return truthy(left) ? left : this.evaluate(rightNode);
    const right = this.evaluate(rightNode);
    if (operator === '==') return looseEquals(left, right);
    if (operator === '!=') return !looseEquals(left, right);
    return compare(operator, left, right);
  }

  private call(name: string, argNodes: Node[]): Value {
    if (STATUS_FUNCTIONS.includes(name)) {
      const status = this.scope.status;
      if (status === undefined) {
        throw new ExpressionError(
          `Unrecognized function: '${name}' (${this.scope.where} allows no status function)`,
        );
      }
      if (argNodes.length > 0) throw new ExpressionError(`${name}() takes no arguments`);
      if (name === 'always') return true;
      return name === 'success'
        ? status.success()
        : name === 'failure'
          ? status.failure()
          : status.cancelled();
    }
    const args = argNodes.map((arg) => this.evaluate(arg));
    const arity = (min: number, max = min) => {
      if (args.length < min || args.length > max) {
        throw new ExpressionError(
          `${name}() takes ${min === max ? min : `${min} to ${max}`} arguments, got ${args.length}`,
        );
      }
    };
    switch (name) {
      case 'contains': {
        arity(2);
        const [search, item] = args;
        if (Array.isArray(search))
          return (search as Value[]).some((element) => looseEquals(element, item));
        return toText(search).toLowerCase().includes(toText(item).toLowerCase());
      }
      case 'startswith':
        arity(2);
        return toText(args[0]).toLowerCase().startsWith(toText(args[1]).toLowerCase());
      case 'endswith':
        arity(2);
        return toText(args[0]).toLowerCase().endsWith(toText(args[1]).toLowerCase());
      case 'format':
        if (args.length < 1) throw new ExpressionError('format() needs a string');
        return format(toText(args[0]), args.slice(1));
      case 'join': {
        arity(1, 2);
        const separator = args.length > 1 ? toText(args[1]) : ',';
        return Array.isArray(args[0])
          ? (args[0] as Value[]).map(toText).join(separator)
          : toText(args[0]);
      }
      case 'tojson':
        arity(1);
        return toJson(args[0]);
      case 'fromjson': {
        arity(1);
        try {
          return JSON.parse(toText(args[0])) as Value;
        } catch (error: unknown) {
          throw new ExpressionError(`fromJSON: ${(error as Error).message}`);
        }
      }
      case 'case': {
        if (args.length < 3 || args.length % 2 === 0) {
          throw new ExpressionError('case() takes predicate/value pairs and a default');
        }
        for (let at = 0; at + 1 < args.length; at += 2) if (truthy(args[at])) return args[at + 1];
        return args[args.length - 1];
      }
      default:
        throw new ExpressionError(
          `Unrecognized function: '${name}' (the rehearsal does not model it)`,
        );
    }
  }
}

function parse(source: string): Node {
  return new Parser(tokenize(source), source).parse();
}

/** Evaluates one expression, the text between `${{` and `}}`. */
export function evaluate(source: string, scope: Scope): Value {
  const value = new Evaluator(scope).evaluate(parse(source));
  return value instanceof Filtered ? [...value] : value;
}

interface Piece {
  readonly text?: string;
  readonly expression?: string;
}

/** Splits a string into literal text and `${{ … }}` expressions (a `}}` inside quotes is text). */
function pieces(template: string): Piece[] {
  const out: Piece[] = [];
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('${{', at);
    if (open === -1) {
      out.push({ text: template.slice(at) });
      break;
    }
    if (open > at) out.push({ text: template.slice(at, open) });
    let end = open + 3;
    let quoted = false;
    while (end < template.length) {
      if (template[end] === "'") quoted = !quoted;
      else if (!quoted && template.startsWith('}}', end)) break;
      end += 1;
    }
    if (end >= template.length) throw new ExpressionError(`Unclosed \${{ in: ${template}`);
    out.push({ expression: template.slice(open + 3, end).trim() });
    at = end + 2;
  }
  return out;
}

/**
 * A workflow value as GitHub reads it: a string that is exactly one `${{ … }}` keeps the
 * expression's type (a boolean input stays boolean); any other string with expressions becomes
 * the text with each replaced by its string form; anything else is returned as written.
 */
export function evaluateTemplate(value: unknown, scope: Scope): Value {
  if (typeof value !== 'string') return (value ?? null) as Value;
  const parts = pieces(value);
  if (parts.length === 1 && parts[0].expression !== undefined)
    return evaluate(parts[0].expression, scope);
  return parts.map((part) => part.text ?? toText(evaluate(part.expression ?? '', scope))).join('');
}

/** `evaluateTemplate`, as text (env values, `run` scripts, step names, action inputs). */
export function interpolate(value: unknown, scope: Scope): string {
  return toText(evaluateTemplate(value, scope));
}

function usesStatusFunction(node: Node): boolean {
  switch (node.type) {
    case 'call':
      return STATUS_FUNCTIONS.includes(node.name) || node.args.some(usesStatusFunction);
    case 'property':
    case 'filter':
      return usesStatusFunction(node.target);
    case 'index':
      return usesStatusFunction(node.target) || usesStatusFunction(node.index);
    case 'not':
      return usesStatusFunction(node.operand);
    case 'binary':
      return usesStatusFunction(node.left) || usesStatusFunction(node.right);
    default:
      return false;
  }
}

/**
 * An `if:` as GitHub reads it (workflow syntax, jobs.<job_id>.if and steps[*].if): the `${{ }}`
 * may be left out; "a default status check of success() is applied unless you include one of
 * these functions". A value that is not one whole expression but contains `${{ }}` is a string
 * template, and a non-empty string is true: `if: ${{ false }} && x` runs. That is GitHub's
 * behaviour, kept here so that the rehearsal catches it rather than hides it.
 */
export function evaluateCondition(condition: unknown, scope: Scope): boolean {
  if (condition === undefined || condition === null || condition === '') {
    return scope.status?.success() ?? true;
  }
  if (typeof condition === 'boolean' || typeof condition === 'number') {
    return (scope.status?.success() ?? true) && truthy(condition);
  }
  const text = String(condition).trim();
  let source = text;
  const parts = pieces(text);
  if (text.includes('${{')) {
    if (parts.length !== 1 || parts[0].expression === undefined)
      return truthy(interpolate(text, scope));
    source = parts[0].expression;
  }
  const node = parse(source);
  const value = new Evaluator(scope).evaluate(node);
  if (usesStatusFunction(node)) return truthy(value);
  return (scope.status?.success() ?? true) && truthy(value);
}

/**
 * The contexts each workflow key may use ("Context availability" in the contexts reference);
 * the keys the status functions are allowed in are the `if`s.
 */
export const CONTEXTS = {
  workflowConcurrency: ['github', 'inputs', 'vars'],
  workflowEnv: ['github', 'secrets', 'inputs', 'vars'],
  jobConcurrency: ['github', 'needs', 'strategy', 'matrix', 'inputs', 'vars'],
  jobEnv: ['github', 'needs', 'strategy', 'matrix', 'vars', 'secrets', 'inputs'],
  jobEnvironment: ['github', 'needs', 'strategy', 'matrix', 'vars', 'inputs'],
  jobEnvironmentUrl: [
    'github',
    'needs',
    'strategy',
    'matrix',
    'job',
    'runner',
    'env',
    'vars',
    'steps',
    'inputs',
  ],
  jobIf: ['github', 'needs', 'vars', 'inputs'],
  jobName: ['github', 'needs', 'strategy', 'matrix', 'vars', 'inputs'],
  jobOutputs: [
    'github',
    'needs',
    'strategy',
    'matrix',
    'job',
    'runner',
    'env',
    'vars',
    'secrets',
    'steps',
    'inputs',
  ],
  jobTimeout: ['github', 'needs', 'strategy', 'matrix', 'vars', 'inputs'],
  jobWith: ['github', 'needs', 'strategy', 'matrix', 'inputs', 'vars'],
  stepIf: [
    'github',
    'needs',
    'strategy',
    'matrix',
    'job',
    'runner',
    'env',
    'vars',
    'steps',
    'inputs',
  ],
  step: [
    'github',
    'needs',
    'strategy',
    'matrix',
    'job',
    'runner',
    'env',
    'vars',
    'secrets',
    'steps',
    'inputs',
  ],
  callInputDefault: ['github', 'inputs', 'vars'],
  callOutputValue: ['github', 'jobs', 'vars', 'inputs'],
} as const satisfies Record<string, readonly string[]>;
