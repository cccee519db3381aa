/**
 * Policy rules in the style of cdk-nag: each rule is a small pure function over the synthesized
 * Terraform JSON of one stack, so that it sees exactly what Terraform will see.
 */
import type { SynthStack } from './synth-stack';

/** Resolved Terraform JSON: attribute values are strings, numbers, booleans, objects and lists. */
export type Json = string | number | boolean | null | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json };

export interface SynthResource {
  readonly type: string;
  readonly name: string;
  readonly config: JsonObject;
}

export interface RuleContext {
  /** The day the rules are judged on (deprecation dates). */
  readonly today: Date;
  /**
   * Runtimes accepted past their deprecation date (ACCEPT_DEPRECATED_RUNTIMES): the runtime rules
   * warn instead of failing, so that a destroy or an urgent fix can still synth. @default none
   */
  readonly acceptDeprecatedRuntimes?: readonly string[];
  /**
   * The files that synthesized asset paths stand for (`assets/<id>/<hash>/api.zip` → the zip under
   * .build/), so that a rule can open what Terraform will upload. Only FileAssets are here.
   */
  readonly assetSources: ReadonlyMap<string, string>;
}

export interface PolicyRule {
  /** Kebab-case id that error messages and exemptions name; also the rule's file name. */
  readonly id: string;
  readonly description: string;
  readonly resourceTypes: readonly string[];
  /** Returns why `resource` breaks the rule (synth fails), or undefined when it complies. */
  check(resource: SynthResource, stack: SynthStack, context: RuleContext): string | undefined;
  /** Returns why `resource`, which complies today, will soon break the rule (synth warns). */
  warn?(resource: SynthResource, stack: SynthStack, context: RuleContext): string | undefined;
}
