/** IAM policy documents as Terraform holds them: a JSON string inside the resource's JSON. */
import { blocks, isJsonObject, strings, type Json } from '@monitored/terraform-json';

/** One statement, its action and resource lists normalized to lists. */
export interface Statement {
  readonly effect: Json | undefined;
  readonly actions: string[];
  /** Undefined when the statement has no NotAction. */
  readonly notActions: string[] | undefined;
  readonly resources: string[];
  readonly principal: Json | undefined;
  readonly condition: Json | undefined;
}

/** The statements of a policy document written as a JSON string; none when it is not parseable here. */
export function statementsOf(policy: Json | undefined): Statement[] {
  if (typeof policy !== 'string') return [];
  let document: Json;
  try {
    document = JSON.parse(policy);
  } catch {
    return [];
  }
  if (!isJsonObject(document)) return [];
  return blocks(document.Statement).map((statement) => ({
    effect: statement.Effect,
    actions: strings(statement.Action),
    notActions: statement.NotAction === undefined ? undefined : strings(statement.NotAction),
    resources: strings(statement.Resource),
    principal: statement.Principal,
    condition: statement.Condition,
  }));
}

/** Whether a principal is everyone: `"*"` or `{"AWS": "*"}` (or a list holding `"*"`). */
export function isEveryone(principal: Json | undefined): boolean {
  if (principal === '*') return true;
  return isJsonObject(principal) && strings(principal.AWS).includes('*');
}
