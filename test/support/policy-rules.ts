import { SynthStack } from '../../stacks/policy/synth-stack';
import type { JsonObject, PolicyRule, RuleContext } from '../../stacks/policy/types';

/** Terraform JSON's `resource` block: type → name → attributes. */
export type Resources = Record<string, Record<string, JsonObject>>;

/** Runs `rule` over every resource of its types in `resources`; returns the problems found. */
export function problemsOf(
  rule: PolicyRule,
  resources: Resources,
  context: RuleContext = { today: new Date('2026-11-28T00:00:00Z'), assetSources: new Map() },
  providers: JsonObject[] = [],
): string[] {
  const stack = new SynthStack({ resource: resources, provider: { aws: providers } });
  return stack.resources
    .filter((resource) => rule.resourceTypes.includes(resource.type))
    .map((resource) => rule.check(resource, stack, context))
    .filter((problem): problem is string => problem !== undefined);
}

/** A policy document as Terraform JSON holds it: a JSON string. */
export const policyJson = (statements: unknown[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
