/**
 * The policy checks as this app runs them at synth: @monitored/terraform-policy's Aspect with the
 * app's settings (its FileAssets' sources, its zip reader, its way past a deprecated runtime).
 */
import {
  PolicyChecks as TerraformPolicyChecks,
  type PolicyChecksProps as TerraformPolicyChecksProps,
} from '@monitored/terraform-policy/cdktf';
import { readZip } from '../../bundling/zip';
import { FileAsset } from '@monitored/cdktf-monitoring';
import { RUNTIME_OVERRIDE } from './accepted-runtimes';

export type PolicyChecksProps = Pick<
  TerraformPolicyChecksProps,
  'rules' | 'today' | 'acceptDeprecatedRuntimes'
>;

export class PolicyChecks extends TerraformPolicyChecks {
  constructor(props: PolicyChecksProps = {}) {
    super({
      ...props,
      runtimeOverride: RUNTIME_OVERRIDE,
      assetSources: (stack) => FileAsset.sources(stack),
      readZip,
    });
  }
}
