import { Annotations, type IAspect, TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { FileAsset } from '@monitored/cdktf-monitoring';
import { ALL_RULES } from './rules';
import { SynthStack } from './synth-stack';
import type { PolicyRule, RuleContext } from './types';

/** Reasons by rule id, per exempted resource. */
const EXEMPTIONS = new WeakMap<TerraformResource, Map<string, string>>();

/**
 * Exempts one resource from one rule. The reason is required and shows in the synth output, so
 * every exception is written down where a reviewer sees it.
 */
export function exemptFromRule(resource: TerraformResource, ruleId: string, reason: string): void {
  if (reason.trim().length < 10) {
    throw new Error(
      `Exempting ${resource.node.path} from ${ruleId} needs a reason a reviewer can judge`,
    );
  }
  const reasons = EXEMPTIONS.get(resource) ?? new Map<string, string>();
  reasons.set(ruleId, reason);
  EXEMPTIONS.set(resource, reasons);
}

export interface PolicyChecksProps {
  /** @default every rule in ./rules */
  readonly rules?: readonly PolicyRule[];
  /** @default the day of the synth */
  readonly today?: Date;
  /** Runtimes accepted past their deprecation date. @default none */
  readonly acceptDeprecatedRuntimes?: readonly string[];
}

/**
 * Runs the policy rules over each stack's synthesized JSON and reports each violation as an error
 * annotation on the offending resource: synth then fails with the rule id and the resource. What
 * a rule foresees (a runtime close to its deprecation) is a warning: synth prints it and goes on.
 */
export class PolicyChecks implements IAspect {
  private readonly rules: readonly PolicyRule[];
  private readonly today: Date;
  private readonly acceptDeprecatedRuntimes: readonly string[];

  constructor(props: PolicyChecksProps = {}) {
    this.rules = props.rules ?? ALL_RULES;
    this.today = props.today ?? new Date();
    this.acceptDeprecatedRuntimes = props.acceptDeprecatedRuntimes ?? [];
  }

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack)) return;
    const context: RuleContext = {
      today: this.today,
      acceptDeprecatedRuntimes: this.acceptDeprecatedRuntimes,
      assetSources: FileAsset.sources(node),
    };
    const synthesized = new SynthStack(node.toTerraform());
    const constructs = new Map<string, TerraformResource>();
    for (const child of node.node.findAll()) {
      if (child instanceof TerraformResource) {
        constructs.set(`${child.terraformResourceType}.${node.getLogicalId(child)}`, child);
      }
    }
    for (const resource of synthesized.resources) {
      const address = `${resource.type}.${resource.name}`;
      const construct = constructs.get(address);
      const exemptions = construct === undefined ? undefined : EXEMPTIONS.get(construct);
      for (const rule of this.rules) {
        if (!rule.resourceTypes.includes(resource.type)) continue;
        const problem = rule.check(resource, synthesized, context);
        const warning =
          problem === undefined ? rule.warn?.(resource, synthesized, context) : undefined;
        if (problem === undefined && warning === undefined) continue;
        const reason = exemptions?.get(rule.id);
        const annotations = Annotations.of(construct ?? node);
        if (reason !== undefined) {
          annotations.addInfo(`[${rule.id}] ${address} exempt: ${reason}`);
        } else if (problem !== undefined) {
          annotations.addError(`[${rule.id}] ${address}: ${problem}`);
        } else {
          annotations.addWarning(`[${rule.id}] ${address}: ${warning}`);
        }
      }
    }
  }
}
