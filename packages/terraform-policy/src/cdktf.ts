/**
 * @monitored/terraform-policy/cdktf: the checks as a cdktf Aspect. It runs `checkStack` over each
 * stack's Terraform JSON and reports each finding on the construct of the resource: an error
 * fails synth, a warning is printed, an exemption is printed with its reason.
 */
import { Annotations, type IAspect, TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { TerraformJson } from '@monitored/terraform-json';
import { checkStack, formatFinding, type CheckOptions } from './check-stack';
import { EXEMPTIONS_KEY, exemptionProblem, type Exemption } from './exemptions';

/** The exemptions given to each resource so far: all of them are written on every call. */
const EXEMPTIONS = new WeakMap<TerraformResource, Exemption[]>();

/**
 * Exempts one resource from one rule, writing the exemption into its JSON (its `//` metadata),
 * where the checks and anyone reading the synthesized JSON find it. The reason is required.
 */
export function exemptFromRule(resource: TerraformResource, ruleId: string, reason: string): void {
  const problem = exemptionProblem(resource.node.path, ruleId, reason);
  if (problem !== undefined) throw new Error(problem);
  const exemptions = [
    ...(EXEMPTIONS.get(resource) ?? []).filter((exemption) => exemption.rule !== ruleId),
    { rule: ruleId, reason },
  ];
  EXEMPTIONS.set(resource, exemptions);
  resource.addOverride(`//.${EXEMPTIONS_KEY}`, exemptions);
}

export interface PolicyChecksProps extends Omit<CheckOptions, 'assetSources'> {
  /** The files behind the stack's asset paths. @default none */
  readonly assetSources?: (stack: TerraformStack) => ReadonlyMap<string, string>;
}

/** Runs the policy checks over every stack it visits. */
export class PolicyChecks implements IAspect {
  constructor(private readonly props: PolicyChecksProps = {}) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack)) return;
    const { assetSources, ...options } = this.props;
    const findings = checkStack(node.toTerraform() as TerraformJson, {
      ...options,
      ...(assetSources !== undefined && { assetSources: assetSources(node) }),
    });
    const constructs = new Map<string, TerraformResource>();
    for (const child of node.node.findAll()) {
      if (child instanceof TerraformResource) {
        constructs.set(`${child.terraformResourceType}.${node.getLogicalId(child)}`, child);
      }
    }
    for (const finding of findings) {
      const annotations = Annotations.of(constructs.get(finding.address) ?? node);
      const message = formatFinding(finding);
      if (finding.level === 'error') annotations.addError(message);
      else if (finding.level === 'warning') annotations.addWarning(message);
      else annotations.addInfo(message);
    }
  }
}
