import { deployedAccount } from '../../support/iam/deployed';
import { validatePolicy } from '../../support/iam/access-analyzer';
it('probe', async () => {
  const a = deployedAccount();
  for (const p of a.policies) { const f = await validatePolicy(p); if (f.length) console.log(p.stack, p.address, f.join('\n')); }
}, 300000);
