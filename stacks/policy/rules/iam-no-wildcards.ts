import { statementsOf } from '../iam-statements';
import { blocks } from '../json';
import type { Json, JsonObject, PolicyRule } from '../types';

/**
 * Actions that support no resource-level permissions, so "*" is their narrowest resource.
 * From the Service Authorization Reference.
 */
export const ACTIONS_WITHOUT_RESOURCES = new Set([
  's3:ListAllMyBuckets',
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

/** The policy documents of a role policy, a managed policy, or a role's inline policies. */
function policiesOf(config: JsonObject): (Json | undefined)[] {
  return [config.policy, ...blocks(config.inline_policy).map((inline) => inline.policy)];
}

export const iamNoWildcards: PolicyRule = {
  id: 'iam-no-wildcards',
  description:
    'No Allow of every action of a service, and no "*" resource where the actions take a narrower one',
  resourceTypes: ['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_role'],
  check(resource) {
    for (const statement of policiesOf(resource.config).flatMap(statementsOf)) {
      if (statement.effect !== 'Allow') continue;
      const wildcard = statement.actions.find((action) => action === '*' || action.endsWith(':*'));
      if (wildcard !== undefined) return `allows the action "${wildcard}"`;
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
