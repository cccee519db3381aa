import { statementsOf } from '../iam-statements';
import {
  blocks,
  isJsonObject,
  type Json,
  type JsonObject,
  type Resource,
} from '@monitored/terraform-json';
import type { PolicyRule } from '../types';

/**
 * Actions that support no resource-level permissions (or only an optional one that the calls
 * here never name, as cloudwatch:PutMetricData's `dataset`), so "*" is their narrowest resource.
 * From the Service Authorization Reference; a test checks each against AWS's data.
 */
export const ACTIONS_WITHOUT_RESOURCES = new Set([
  's3:ListAllMyBuckets',
  'cloudwatch:GetMetricStatistics',
  'cloudwatch:PutMetricData',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'logs:DescribeLogGroups',
  // KMS: a key that does not exist yet has no ARN; listing aliases is account-wide
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html).
  'kms:CreateKey',
  'kms:ListAliases',
  // Synthetics and CloudFront: what does not exist yet has no ARN.
  'synthetics:CreateCanary',
  'cloudfront:CreateDistribution',
  'cloudfront:CreateOriginAccessControl',
  'cloudfront:CreateResponseHeadersPolicy',
  // The log delivery that an HTTP API's access logging sets up: AWS's guide grants these on "*"
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html), and
  // the reference lists no resource type for them
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html).
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
]);

/**
 * Read families a deploy role may be granted whole (`lambda:Get*`) on its stage's resources:
 * Terraform's refresh calls a different set of read actions per resource and per provider
 * release, and one it is refused fails a deploy halfway; reads change nothing, and the resources
 * stay named. A role that runs code (trusted by an AWS service) names every action it calls.
 */
export const DEPLOY_ROLE_READ_FAMILIES = /:(Get|List|Describe)[A-Za-z]*\*$/;

/** Whether a role is assumed by GitHub's workflows (a Federated principal): a deploy role. */
function isDeployRole(role: Resource | undefined): boolean {
  if (role === undefined) return false;
  return statementsOf(role.config.assume_role_policy).some(
    (statement) => isJsonObject(statement.principal) && statement.principal.Federated !== undefined,
  );
}

/** The policy documents of a role policy, a managed policy, or a role's inline policies. */
function policiesOf(config: JsonObject): (Json | undefined)[] {
  return [config.policy, ...blocks(config.inline_policy).map((inline) => inline.policy)];
}

export const iamNoWildcards: PolicyRule = {
  id: 'iam-no-wildcards',
  description:
    'No Allow of every action of a service, no action wildcard but read families for deploy roles, and no "*" resource where the actions take a narrower one',
  resourceTypes: ['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_role'],
  check(resource, stack) {
    const role =
      resource.type === 'aws_iam_role'
        ? resource
        : stack.referencedBy(resource.config.role, 'aws_iam_role');
    const deployRole = isDeployRole(role);
    for (const statement of policiesOf(resource.config).flatMap(statementsOf)) {
      if (statement.effect !== 'Allow') continue;
      const wildcard = statement.actions.find((action) => action === '*' || action.endsWith(':*'));
      if (wildcard !== undefined) return `allows the action "${wildcard}"`;
      const family = statement.actions.find(
        (action) => action.includes('*') && !(deployRole && DEPLOY_ROLE_READ_FAMILIES.test(action)),
      );
      if (family !== undefined) {
        return deployRole
          ? `allows "${family}": a deploy role may be granted read families (Get*, List*, Describe*) only`
          : `allows "${family}": a role that runs code names every action it calls`;
      }
      if (statement.resources.includes('*') && statement.actions.some((a) => a.includes('*'))) {
        return `allows ${statement.actions.filter((a) => a.includes('*')).join(', ')} on every resource ("*")`;
      }
      if (statement.notActions !== undefined)
        return 'allows NotAction, which grants every other action';
      const narrowable = statement.actions.filter(
        (action) => !ACTIONS_WITHOUT_RESOURCES.has(action),
      );
      if (statement.resources.includes('*') && narrowable.length > 0) {
        return `allows ${narrowable.join(', ')} on every resource ("*")`;
      }
    }
    return undefined;
  },
};
