import { block, statementsOf, strings, type PolicyRule } from '../rule';

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
]);

function policiesOf(config: Record<string, unknown>): unknown[] {
  const inline = (config.inline_policy as unknown[] | undefined) ?? [];
  return [config.policy, ...inline.map((policy) => block(policy as never)?.policy)];
}

export const iamNoWildcards: PolicyRule = {
  id: 'iam-no-wildcards',
  description:
    'No Allow of every action of a service, and no "*" resource where the actions take a narrower one',
  resourceTypes: ['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_role'],
  check(resource) {
    for (const statement of policiesOf(resource.config).flatMap((policy) =>
      statementsOf(policy as never),
    )) {
      if (statement.Effect !== 'Allow') continue;
      const actions = strings(statement.Action);
      const wildcard = actions.find((action) => action === '*' || action.endsWith(':*'));
      if (wildcard !== undefined) return `allows the action "${wildcard}"`;
      if (statement.NotAction !== undefined)
        return 'allows NotAction, which grants every other action';
      const narrowable = actions.filter((action) => !ACTIONS_WITHOUT_RESOURCES.has(action));
      if (strings(statement.Resource).includes('*') && narrowable.length > 0) {
        return `allows ${narrowable.join(', ')} on every resource ("*")`;
      }
    }
    return undefined;
  },
};
