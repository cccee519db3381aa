/**
 * Policy rules in the style of cdk-nag: each rule is a small pure function over the synthesized
 * Terraform JSON of one stack, so that it sees exactly what Terraform will see.
 */

// Resolved Terraform JSON: attribute values are strings, numbers, booleans, objects and lists.
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface SynthResource {
  readonly type: string;
  readonly name: string;
  readonly config: JsonObject;
}

export interface RuleContext {
  /** The day the rules are judged on (deprecation dates). */
  readonly today: Date;
}

export interface PolicyRule {
  /** Kebab-case id that error messages and exemptions name. */
  readonly id: string;
  readonly description: string;
  readonly resourceTypes: readonly string[];
  /** Returns why `resource` breaks the rule, or undefined when it complies. */
  check(resource: SynthResource, stack: SynthStack, context: RuleContext): string | undefined;
}

/** The resources of one synthesized stack, with the look-ups rules need. */
export class SynthStack {
  public readonly resources: readonly SynthResource[];

  constructor(terraformJson: { resource?: Record<string, Record<string, JsonObject>> }) {
    this.resources = Object.entries(terraformJson.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, config]) => ({ type, name, config })),
    );
  }

  ofType(type: string): SynthResource[] {
    return this.resources.filter((resource) => resource.type === type);
  }

  /** Resources of `type` whose attribute `attribute` refers to `target` (`${type.name.x}`). */
  referencing(type: string, attribute: string, target: SynthResource): SynthResource[] {
    return this.ofType(type).filter((resource) => refersTo(resource.config[attribute], target));
  }
}

function refersTo(value: Json | undefined, target: SynthResource): boolean {
  return typeof value === 'string' && value.includes(`${target.type}.${target.name}.`);
}

/** Terraform JSON writes a nested block as an object or as a list of objects; rules accept both. */
export function blocks(value: Json | undefined): JsonObject[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter(
    (item): item is JsonObject => typeof item === 'object' && item !== null && !Array.isArray(item),
  );
}

export function block(value: Json | undefined): JsonObject | undefined {
  return blocks(value)[0];
}

export function asList(value: Json | undefined): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export interface PolicyStatementJson {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly Principal?: string | Record<string, string | string[]>;
  readonly Condition?: Record<string, unknown>;
}

/** The statements of a policy document written as a JSON string; none when it is not parseable here. */
export function statementsOf(policy: Json | undefined): PolicyStatementJson[] {
  if (typeof policy !== 'string') return [];
  try {
    const document = JSON.parse(policy) as {
      Statement?: PolicyStatementJson | PolicyStatementJson[];
    };
    const statements = document.Statement ?? [];
    return Array.isArray(statements) ? statements : [statements];
  } catch {
    return [];
  }
}

export function strings(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
