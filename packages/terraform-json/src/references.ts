/**
 * References between blocks, as Terraform's expressions write them inside `${…}`:
 * `aws_sns_topic.alarms.arn`, `data.aws_caller_identity.current.account_id`, `var.region`,
 * `local.name`. https://developer.hashicorp.com/terraform/language/expressions/references
 *
 * Found by reading the traversals of each interpolation, not by evaluating it: a reference inside
 * any expression (a function call, a conditional, an index) is found, and nothing is resolved.
 */
import type { Json } from './json';

export type Reference =
  | {
      readonly kind: 'resource';
      readonly type: string;
      readonly name: string;
      /** Undefined for a reference to the whole resource (`${aws_s3_bucket.site}`). */
      readonly attribute?: string;
    }
  | {
      readonly kind: 'data';
      readonly type: string;
      readonly name: string;
      readonly attribute?: string;
    }
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'local'; readonly name: string };

/** Names Terraform reserves for other objects than resources (`each.key`, `path.module`, …). */
const NOT_RESOURCES = new Set(['module', 'each', 'count', 'path', 'terraform', 'self']);

const IDENTIFIER = '[A-Za-z_][\\w-]*';
// A traversal starts where no identifier, attribute access or number continues.
const TRAVERSAL = new RegExp(
  `(?<![\\w.\\-])(${IDENTIFIER})\\.(${IDENTIFIER})(?:\\.(${IDENTIFIER}))?(?:\\.(${IDENTIFIER}))?`,
  'g',
);

/** The text between `${` and its `}` of each interpolation in `text` (`$${` is a literal). */
export function interpolations(text: string): string[] {
  const found: string[] = [];
  let at = 0;
  while (at < text.length) {
    if (text.startsWith('$${', at)) {
      at += 3;
    } else if (text.startsWith('${', at)) {
      let depth = 1;
      let end = at + 2;
      let quoted = false;
      for (; end < text.length && depth > 0; end++) {
        const char = text[end];
        if (quoted) {
          if (char === '\\') end++;
          else if (char === '"') quoted = false;
        } else if (char === '"') quoted = true;
        else if (char === '{') depth++;
        else if (char === '}') depth--;
      }
      found.push(text.slice(at + 2, end - 1));
      at = end;
    } else at++;
  }
  return found;
}

/** Every reference in `value`: in each string of it, at any depth. */
export function referencesIn(value: Json | undefined): Reference[] {
  if (typeof value === 'string') {
    return interpolations(value).flatMap((expression) =>
      [...expression.matchAll(TRAVERSAL)].flatMap(([, first, second, third, fourth]) =>
        toReference(first, second, third, fourth),
      ),
    );
  }
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (value !== null && typeof value === 'object')
    return Object.values(value).flatMap(referencesIn);
  return [];
}

function toReference(
  first: string,
  second: string,
  third: string | undefined,
  fourth: string | undefined,
): Reference[] {
  if (first === 'var') return [{ kind: 'var', name: second }];
  if (first === 'local') return [{ kind: 'local', name: second }];
  if (first === 'data') {
    if (third === undefined) return [];
    return [
      {
        kind: 'data',
        type: second,
        name: third,
        ...(fourth !== undefined && { attribute: fourth }),
      },
    ];
  }
  if (NOT_RESOURCES.has(first)) return [];
  return [
    {
      kind: 'resource',
      type: first,
      name: second,
      ...(third !== undefined && { attribute: third }),
    },
  ];
}

/** `${<type>.<name>.<attribute>}`, as a reference to a resource's attribute is written. */
export function resourceReference(type: string, name: string, attribute: string): string {
  return `\${${type}.${name}.${attribute}}`;
}
