/**
 * Policy rules in the style of cdk-nag: each rule is a small pure function over the Terraform JSON
 * of one stack (a synthesized `cdk.tf.json` or any `*.tf.json` module), so that it sees exactly
 * what Terraform will see.
 */
import type { Resource, TerraformModule } from '@monitored/terraform-json';

/** How a person accepts a runtime past its deprecation date: named in the refusal and the warning. */
export interface RuntimeOverride {
  /** What they set, e.g. an environment variable `ACCEPT_DEPRECATED_RUNTIMES`. */
  readonly name: string;
  /** A command that accepts `runtime` (a destroy, say), shown in the refusal. */
  readonly example: (runtime: string) => string;
}

export interface RuleContext {
  /** The day the rules are judged on (deprecation dates). */
  readonly today: Date;
  /**
   * Runtimes accepted past their deprecation date: the runtime rules warn instead of failing, so
   * that a destroy or an urgent fix can still go through. @default none
   */
  readonly acceptDeprecatedRuntimes?: readonly string[];
  /** How a runtime is accepted past its date. @default the option `acceptDeprecatedRuntimes` */
  readonly runtimeOverride?: RuntimeOverride;
  /**
   * The files that asset paths in the JSON stand for (cdktf's `assets/<id>/<hash>/api.zip` → the
   * zip on disk), so that a rule can open what Terraform will upload. An absolute path in the
   * JSON stands for itself.
   */
  readonly assetSources: ReadonlyMap<string, string>;
  /**
   * Reads a zip archive's entries (name → content), for the rules that look inside what Terraform
   * uploads. @default none: those rules say they cannot open the zip
   */
  readonly readZip?: (file: string) => ReadonlyMap<string, Buffer>;
}

export interface PolicyRule {
  /** Kebab-case id that error messages and exemptions name; also the rule's file name. */
  readonly id: string;
  readonly description: string;
  readonly resourceTypes: readonly string[];
  /** Returns why `resource` breaks the rule (the check fails), or undefined when it complies. */
  check(resource: Resource, stack: TerraformModule, context: RuleContext): string | undefined;
  /** Returns why `resource`, which complies today, will soon break the rule (a warning). */
  warn?(resource: Resource, stack: TerraformModule, context: RuleContext): string | undefined;
}
