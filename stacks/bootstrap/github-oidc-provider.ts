import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { GITHUB_OIDC_URL, STS_AUDIENCE } from './github-oidc';

export interface GithubOidcProviderProps {
  /** @default the stack's default AWS provider */
  readonly provider?: AwsProvider;
}

/**
 * The account's trust in GitHub Actions' tokens. An account holds one provider per issuer URL,
 * so an account that already has one must import it instead (see the README). No thumbprint:
 * IAM verifies GitHub's JWKS endpoint against its library of trusted root CAs, and the provider
 * 6.x argument is optional (CreateOpenIDConnectProvider,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html;
 * aws-actions/configure-aws-credentials: "The thumbprint, if specified, will be ignored").
 */
export class GithubOidcProvider extends Construct {
  public readonly provider: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: GithubOidcProviderProps = {}) {
    super(scope, id);
    this.provider = new IamOpenidConnectProvider(this, 'provider', {
      url: GITHUB_OIDC_URL,
      clientIdList: [STS_AUDIENCE],
      provider: props.provider,
    });
  }
}
