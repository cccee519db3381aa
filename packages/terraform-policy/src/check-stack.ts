/** The checker: every rule over every resource of one Terraform JSON module. */
import { TerraformModule, type TerraformJson } from '@monitored/terraform-json';
import { exemptionProblem, exemptionsOf } from './exemptions';
import { ALL_RULES } from './rules';
import type { PolicyRule, RuleContext } from './types';

export interface CheckOptions extends Partial<RuleContext> {
  /** @default every rule of this package (ALL_RULES) */
  readonly rules?: readonly PolicyRule[];
}

/**
 * One finding: an `error` (the resource breaks the rule: deploying would fail or fail silently),
 * a `warning` (it will soon), or `exempt` (it does either, and the JSON exempts it with a reason).
 */
export interface Finding {
  readonly level: 'error' | 'warning' | 'exempt';
  readonly rule: string;
  /** The resource's address: `aws_s3_bucket.site`. */
  readonly address: string;
  /** The cdktf construct path of the resource, when the JSON records one. */
  readonly path?: string;
  /** The problem, the warning, or the reason for the exemption. */
  readonly message: string;
}

/** How a finding reads in a synth's output: `[rule] address: message` (`exempt: reason`). */
export function formatFinding({ level, rule, address, message }: Finding): string {
  return level === 'exempt'
    ? `[${rule}] ${address} exempt: ${message}`
    : `[${rule}] ${address}: ${message}`;
}

/**
 * Runs the rules over `json` (a synthesized `cdk.tf.json` or any Terraform module in JSON) and
 * returns what they find, in the order of the resources and the rules. An exemption without a
 * reason a reviewer can judge is itself an error.
 */
export function checkStack(
  json: TerraformJson | TerraformModule,
  options: CheckOptions = {},
): Finding[] {
  const stack = json instanceof TerraformModule ? json : new TerraformModule(json);
  const rules = options.rules ?? ALL_RULES;
  const context: RuleContext = {
    ...options,
    today: options.today ?? new Date(),
    assetSources: options.assetSources ?? new Map(),
  };
  const findings: Finding[] = [];
  for (const resource of stack.resources) {
    const where = {
      address: resource.address,
      ...(resource.path !== undefined && { path: resource.path }),
    };
    const reasons = new Map<string, string>();
    for (const { rule, reason } of exemptionsOf(resource)) {
      const problem = exemptionProblem(resource.address, rule, reason);
      if (problem === undefined) reasons.set(rule, String(reason));
      else findings.push({ level: 'error', rule, ...where, message: problem });
    }
    for (const rule of rules) {
      if (!rule.resourceTypes.includes(resource.type)) continue;
      const problem = rule.check(resource, stack, context);
      const warning = problem === undefined ? rule.warn?.(resource, stack, context) : undefined;
      if (problem === undefined && warning === undefined) continue;
      const reason = reasons.get(rule.id);
      findings.push(
        reason !== undefined
          ? { level: 'exempt', rule: rule.id, ...where, message: reason }
          : problem !== undefined
            ? { level: 'error', rule: rule.id, ...where, message: problem }
            : { level: 'warning', rule: rule.id, ...where, message: warning ?? '' },
      );
    }
  }
  return findings;
}
