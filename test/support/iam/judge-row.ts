/**
 * A row of the request table, judged: the principal's policies and the resource's own policy
 * found in the deployed account, and the request context built as AWS builds it for that kind of
 * principal (a role session carries aws:PrincipalArn and aws:PrincipalAccount; a service
 * principal carries what the row gives it, aws:SourceArn and aws:SourceAccount).
 */
import { ACCOUNT, type DeployedAccount, type PolicyDocument } from './deployed';
import { judge, type Judgement } from './engine';

export type Principal =
  | { readonly role: string; readonly inlineOverride?: PolicyDocument }
  | { readonly service: string };

export interface RequestRow {
  /** Unique, and what a failing test names. */
  readonly name: string;
  readonly principal: Principal;
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  readonly expect: 'allow' | 'deny';
  /** The resource's own policy when no stack holds it (a layer AWS publishes from its account). */
  readonly resourcePolicy?: PolicyDocument;
  /** Why this request is made: the provider's source file, or AWS's page or managed policy. */
  readonly source: string;
}

/** The account that owns `arn`: its fifth field, or the stages' for S3 (whose ARNs have none). */
function accountOf(arn: string): string {
  const account = arn.split(':')[4];
  return account === undefined || account === '' ? ACCOUNT : account;
}

function regionOf(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region === undefined || region === '' ? undefined : region;
}

export async function judgeRow(account: DeployedAccount, row: RequestRow): Promise<Judgement> {
  const context: Record<string, string | readonly string[]> = { 'aws:SecureTransport': 'true' };
  const region = regionOf(row.resource);
  if (region !== undefined) context['aws:RequestedRegion'] = region;
  if ('role' in row.principal) {
    const role = account.roles.get(row.principal.role);
    if (role === undefined) throw new Error(`${row.name}: no role ${row.principal.role}`);
    context['aws:PrincipalArn'] = role.arn;
    context['aws:PrincipalAccount'] = ACCOUNT;
    context['aws:PrincipalType'] = 'AssumedRole';
    Object.assign(context, row.context);
    return judge(
      {
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${role.name}/session`,
        action: row.action,
        resource: row.resource,
        resourceAccount: accountOf(row.resource),
        context,
      },
      {
        identity:
          row.principal.inlineOverride === undefined
            ? role.inline
            : [{ name: 'override', document: row.principal.inlineOverride }],
        boundary: role.boundary,
        resource: row.resourcePolicy ?? account.resourcePolicyFor(row.resource),
      },
    );
  }
  context['aws:PrincipalIsAWSService'] = 'true';
  context['aws:PrincipalServiceName'] = row.principal.service;
  Object.assign(context, row.context);
  return judge(
    {
      principal: row.principal.service,
      action: row.action,
      resource: row.resource,
      resourceAccount: accountOf(row.resource),
      context,
    },
    { identity: [], resource: account.resourcePolicyFor(row.resource) },
  );
}
