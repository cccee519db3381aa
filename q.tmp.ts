import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:o/r:environment:dev' } } }] };
(async () => {
  for (const sub of ['repo:o/r:environment:dev', 'repo:o/r:pull_request']) {
  const r = await runUnsafeSimulation({ identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy: { __validated: true, policyDocument: trust, metadata: { name: "trust" }, errors: [] },
    request: { principal: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', action: 'sts:AssumeRoleWithWebIdentity', resource: { resource: 'arn:aws:iam::123456789012:role/msgs-deploy-dev', accountId: '123456789012' },
      contextVariables: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': sub } } }, {});
  console.log(sub, JSON.stringify(r).slice(0,300));
  }
})();
