/**
 * Resolves the Terraform expressions in a synthesized stack (`cdk.tf.json`) to plain values, so
 * that the local monitor can use the very alarm and dashboard definitions that deploy: an
 * attribute written in the referenced resource's own configuration resolves to that value; an
 * attribute only AWS can know (an API's id, an ARN) resolves through the `computed` stand-ins the
 * caller gives. Only the expression forms cdktf writes are understood — references, string
 * templates, literals, tuples, objects and the functions in FUNCTIONS — and anything else is an
 * error naming the expression, never a silently blank value.
 */

import type { Json, JsonObject } from './json';
import type { TerraformJson } from './terraform-json';

export class ResolveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResolveError';
  }
}

/** Stand-ins for attributes AWS computes; undefined when there is none for this one. */
export type ComputedAttribute = (
  type: string,
  name: string,
  attribute: string,
  config: JsonObject,
) => Json | undefined;

type Expression =
  | { kind: 'literal'; value: Json }
  | { kind: 'template'; parts: (string | Expression)[] }
  | { kind: 'reference'; path: string[] }
  | { kind: 'call'; name: string; args: Expression[] }
  | { kind: 'tuple'; items: Expression[] }
  | { kind: 'object'; entries: [Expression, Expression][] }
  | { kind: 'index'; target: Expression; index: Expression };

const FUNCTIONS: Record<string, (args: Json[]) => Json> = {
  element: ([list, index]) => {
    if (!Array.isArray(list) || list.length === 0)
      throw new ResolveError('element() needs a non-empty list');
    return list[Number(index) % list.length];
  },
  split: ([separator, text]) => String(text).split(String(separator)),
  join: ([separator, list]) =>
    Array.isArray(list) ? list.map(String).join(String(separator)) : String(list),
  jsonencode: ([value]) => JSON.stringify(value),
  lower: ([text]) => String(text).toLowerCase(),
  upper: ([text]) => String(text).toUpperCase(),
  replace: ([text, search, replacement]) =>
    String(text).split(String(search)).join(String(replacement)),
  urlencode: ([text]) => urlencode(String(text)),
};

/**
 * Terraform's urlencode, Go's `url.QueryEscape`: every byte of the UTF-8 text but letters, digits
 * and `-_.~` as `%XX` (capitals), and a space as `+`.
 * https://developer.hashicorp.com/terraform/language/functions/urlencode
 */
function urlencode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(char)) out += char;
    else if (char === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A parser for the expressions between `${` and `}`. */
class ExpressionParser {
  private at = 0;

  constructor(private readonly source: string) {}

  parse(): Expression {
    const expression = this.expression();
    this.space();
    if (this.at !== this.source.length) this.fail('unexpected text');
    return expression;
  }

  private fail(message: string): never {
    throw new ResolveError(`${message} at ${this.at} in the Terraform expression "${this.source}"`);
  }

  private space(): void {
    while (/\s/.test(this.source[this.at] ?? '')) this.at++;
  }

  private eat(text: string): boolean {
    this.space();
    if (!this.source.startsWith(text, this.at)) return false;
    this.at += text.length;
    return true;
  }

  private expect(text: string): void {
    if (!this.eat(text)) this.fail(`expected "${text}"`);
  }

  expression(): Expression {
    let expression = this.primary();
    for (;;) {
      if (this.eat('[')) {
        const index = this.expression();
        this.expect(']');
        expression = { kind: 'index', target: expression, index };
      } else return expression;
    }
  }

  private primary(): Expression {
    this.space();
    const char = this.source[this.at];
    if (char === '"') return this.quoted();
    if (char === '[') {
      this.at++;
      const items: Expression[] = [];
      while (!this.eat(']')) {
        items.push(this.expression());
        this.eat(',');
      }
      return { kind: 'tuple', items };
    }
    if (char === '{') {
      this.at++;
      const entries: [Expression, Expression][] = [];
      while (!this.eat('}')) {
        const key = this.expression();
        if (!this.eat('=')) this.expect(':');
        entries.push([
          key.kind === 'reference' && key.path.length === 1
            ? { kind: 'literal', value: key.path[0] }
            : key,
          this.expression(),
        ]);
        this.eat(',');
      }
      return { kind: 'object', entries };
    }
    const number = /^-?\d+(\.\d+)?/.exec(this.source.slice(this.at));
    if (number !== null) {
      this.at += number[0].length;
      return { kind: 'literal', value: Number(number[0]) };
    }
    const word = /^[A-Za-z_][\w-]*/.exec(this.source.slice(this.at));
    if (word === null) this.fail('expected a value');
    this.at += word[0].length;
    if (word[0] === 'true' || word[0] === 'false')
      return { kind: 'literal', value: word[0] === 'true' };
    if (word[0] === 'null') return { kind: 'literal', value: null };
    if (this.eat('(')) {
      const args: Expression[] = [];
      while (!this.eat(')')) {
        args.push(this.expression());
        this.eat(',');
      }
      return { kind: 'call', name: word[0], args };
    }
    const path = [word[0]];
    while (this.source[this.at] === '.') {
      this.at++;
      const part = /^[A-Za-z_][\w-]*|^\d+/.exec(this.source.slice(this.at));
      if (part === null) this.fail('expected an attribute name');
      this.at += part[0].length;
      path.push(part[0]);
    }
    return { kind: 'reference', path };
  }

  /** A quoted string, which may itself hold `${…}` templates. */
  private quoted(): Expression {
    this.at++;
    let text = '';
    const parts: (string | Expression)[] = [];
    for (;;) {
      const char = this.source[this.at];
      if (char === undefined) this.fail('unterminated string');
      if (char === '"') {
        this.at++;
        break;
      }
      if (char === '\\') {
        const escaped = this.source[this.at + 1];
        text += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
        this.at += 2;
      } else if (this.source.startsWith('${', this.at)) {
        parts.push(text);
        text = '';
        this.at += 2;
        parts.push(this.expression());
        this.expect('}');
      } else {
        text += char;
        this.at++;
      }
    }
    parts.push(text);
    return parts.length === 1 ? { kind: 'literal', value: text } : { kind: 'template', parts };
  }

  /** Where the interpolation that starts at `start` (just after `${`) ends. */
  static interpolationEnd(source: string, start: number): number {
    const parser = new ExpressionParser(source);
    parser.at = start;
    parser.expression();
    parser.space();
    if (source[parser.at] !== '}') parser.fail('expected "}"');
    return parser.at;
  }
}

export class TerraformResolver {
  private readonly resolving = new Set<string>();

  constructor(
    private readonly stack: TerraformJson,
    private readonly computed: ComputedAttribute,
  ) {}

  /** `value` with every string's `${…}` interpolations evaluated, deeply. */
  resolve(value: Json): Json {
    if (typeof value === 'string') return this.template(value);
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.resolve(item)]),
      );
    }
    return value;
  }

  /** A resource's attribute, resolved. */
  attribute(type: string, name: string, attribute: string): Json {
    const config = this.stack.resource?.[type]?.[name];
    if (config === undefined) throw new ResolveError(`no resource ${type}.${name} in the stack`);
    return this.attributeOf(`${type}.${name}`, type, name, attribute, config);
  }

  private attributeOf(
    address: string,
    type: string,
    name: string,
    attribute: string,
    config: JsonObject,
  ): Json {
    const key = `${address}.${attribute}`;
    if (this.resolving.has(key)) throw new ResolveError(`${key} refers to itself`);
    this.resolving.add(key);
    try {
      if (attribute in config) return this.resolve(config[attribute]);
      const standIn = this.computed(type, name, attribute, config);
      if (standIn === undefined) {
        throw new ResolveError(
          `cannot resolve ${key}: it is not in the resource's configuration and has no local stand-in`,
        );
      }
      return this.resolve(standIn);
    } finally {
      this.resolving.delete(key);
    }
  }

  private template(text: string): Json {
    if (!text.includes('${')) return text;
    const parts: Json[] = [];
    let at = 0;
    let literal = '';
    while (at < text.length) {
      if (text.startsWith('$${', at)) {
        literal += '${';
        at += 3;
      } else if (text.startsWith('${', at)) {
        parts.push(literal);
        literal = '';
        const end = ExpressionParser.interpolationEnd(text, at + 2);
        parts.push(this.evaluate(new ExpressionParser(text.slice(at + 2, end)).parse()));
        at = end + 1;
      } else literal += text[at++];
    }
    parts.push(literal);
    // A string that is one interpolation keeps the value's type, as in Terraform.
    if (parts.length === 3 && parts[0] === '' && parts[2] === '') return parts[1];
    return parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join('');
  }

  private evaluate(expression: Expression): Json {
    switch (expression.kind) {
      case 'literal':
        return expression.value;
      case 'template':
        return expression.parts
          .map((part) => (typeof part === 'string' ? part : String(this.evaluate(part))))
          .join('');
      case 'tuple':
        return expression.items.map((item) => this.evaluate(item));
      case 'object':
        return Object.fromEntries(
          expression.entries.map(([key, value]) => [
            String(this.evaluate(key)),
            this.evaluate(value),
          ]),
        );
      case 'index': {
        const target = this.evaluate(expression.target);
        const index = this.evaluate(expression.index);
        if (Array.isArray(target)) return target[Number(index)];
        if (target !== null && typeof target === 'object' && !Array.isArray(target))
          return target[String(index)];
        throw new ResolveError('an index into something that is not a list or an object');
      }
      case 'call': {
        const fn = FUNCTIONS[expression.name];
        if (fn === undefined)
          throw new ResolveError(
            `the Terraform function ${expression.name}() is not supported locally`,
          );
        return fn(expression.args.map((arg) => this.evaluate(arg)));
      }
      case 'reference':
        return this.reference(expression.path);
    }
  }

  private reference(path: string[]): Json {
    const [first, ...rest] = path;
    if (first === 'local') {
      const [name] = rest;
      if (name === undefined || this.stack.locals === undefined || !(name in this.stack.locals)) {
        throw new ResolveError(`no local value ${path.join('.')} in the stack`);
      }
      const key = `local.${name}`;
      if (this.resolving.has(key)) throw new ResolveError(`${key} refers to itself`);
      this.resolving.add(key);
      try {
        return this.resolve(this.stack.locals[name]);
      } finally {
        this.resolving.delete(key);
      }
    }
    if (first === 'var') {
      const [name] = rest;
      const variable = name === undefined ? undefined : this.stack.variable?.[name];
      if (variable === undefined || variable.default === undefined)
        throw new ResolveError(`no variable ${path.join('.')} with a default in the stack`);
      return variable.default;
    }
    if (first === 'data') {
      const [type, name, attribute] = rest;
      const config = this.stack.data?.[type]?.[name];
      if (config === undefined || attribute === undefined)
        throw new ResolveError(`no data source data.${type}.${name}`);
      return this.attributeOf(`data.${type}.${name}`, `data.${type}`, name, attribute, config);
    }
    const [name, attribute, ...more] = rest;
    if (name === undefined || attribute === undefined)
      throw new ResolveError(`cannot resolve the reference ${path.join('.')}`);
    let value = this.attribute(first, name, attribute);
    for (const part of more) {
      if (value === null || typeof value !== 'object')
        throw new ResolveError(`cannot read ${part} of ${path.join('.')}`);
      value = Array.isArray(value) ? value[Number(part)] : value[part];
    }
    return value;
  }
}
