/**
 * Exemptions written into the Terraform JSON itself, as cdk-nag writes its suppressions into the
 * template's metadata: on the exempted resource, under its `//` comment property, which Terraform
 * ignores ("Comment Properties", https://developer.hashicorp.com/terraform/language/syntax/json).
 * So the exemption travels with the JSON, and a plain Terraform project writes it by hand:
 *
 *     "aws_cloudwatch_log_group": { "audit": {
 *       "//": { "policy_exemptions": [
 *         { "rule": "log-group-retention", "reason": "Audit logs are kept indefinitely (XYZ-12)" } ] },
 *       "name": "/audit" } }
 */
import {
  blocks,
  isJsonObject,
  type Json,
  type JsonObject,
  type Resource,
} from '@monitored/terraform-json';

/** The key under a resource's `//` that holds its exemptions. */
export const EXEMPTIONS_KEY = 'policy_exemptions';

/** A reason shorter than this is no reason a reviewer can judge. */
const MIN_REASON_LENGTH = 10;

export interface Exemption {
  readonly rule: string;
  readonly reason: string;
}

/** Why `reason` is not enough to exempt `subject` from `ruleId`, or undefined when it is. */
export function exemptionProblem(
  subject: string,
  ruleId: string,
  reason: Json | undefined,
): string | undefined {
  return typeof reason === 'string' && reason.trim().length >= MIN_REASON_LENGTH
    ? undefined
    : `Exempting ${subject} from ${ruleId} needs a reason a reviewer can judge`;
}

/** The exemptions written on `resource`, each with its rule id and reason as written. */
export function exemptionsOf(
  resource: Resource,
): { readonly rule: string; readonly reason: Json | undefined }[] {
  const comment = resource.config['//'];
  if (!isJsonObject(comment)) return [];
  return blocks(comment[EXEMPTIONS_KEY]).flatMap((entry) =>
    typeof entry.rule === 'string' ? [{ rule: entry.rule, reason: entry.reason }] : [],
  );
}

/** The `//` property that exempts a resource from each of `exemptions`: to merge into its JSON. */
export function exemptionMetadata(exemptions: readonly Exemption[]): JsonObject {
  return { [EXEMPTIONS_KEY]: exemptions.map(({ rule, reason }) => ({ rule, reason })) };
}
