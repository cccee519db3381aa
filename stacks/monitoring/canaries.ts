import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import type { CanaryBundle } from '../../bundling/canaries';
import { CANARY_ENV, CANARY_NAMES, CANARY_RUNTIME, type CanaryName } from '../../contract/canaries';
import { CanaryGroup, type CanarySpec } from '@monitored/cdktf-monitoring';
import type { CanarySchedule } from '@monitored/cloudwatch-model';
import { stageNames } from '../shared/stage-names';

export interface CanariesProps {
  /** `<app>-<stage>`, the start of every name. */
  readonly namePrefix: string;
  readonly region: string;
  /** The AWS account the stage deploys to (a reference): the canaries' log group ARNs name it. */
  readonly accountId: string;
  /** The stage's website and API, as references: each run's WEBSITE_URL and API_URL. */
  readonly websiteUrl: string;
  readonly apiUrl: string;
  readonly schedules: Readonly<Record<CanaryName, CanarySchedule>>;
  readonly bundles: Readonly<Record<CanaryName, CanaryBundle>>;
  /** Days the runs' logs, history and artifacts are kept. */
  readonly retentionDays: number;
  /** The stage's permissions boundary (its ARN), which the canaries' role carries. */
  readonly permissionsBoundary: string;
  /** @default CANARY_RUNTIME */
  readonly runtime?: string;
  /** @default the stack's default AWS provider */
  readonly provider?: AwsProvider;
}

/**
 * The stage's canaries, one per journey, watching the website and the API from outside: the
 * package's canary group (artifact bucket, shared execution role) with this app's journeys, their
 * names and the URLs each run reads.
 */
export class Canaries extends CanaryGroup<CanaryName> {
  constructor(scope: Construct, id: string, props: CanariesProps) {
    const names = stageNames(props.namePrefix);
    const spec = (journey: CanaryName): CanarySpec => ({
      name: names.canary(journey),
      bundle: props.bundles[journey],
      schedule: props.schedules[journey],
      environment: {
        [CANARY_ENV.websiteUrl]: props.websiteUrl,
        [CANARY_ENV.apiUrl]: props.apiUrl,
      },
    });
    super(scope, id, {
      namePrefix: props.namePrefix,
      region: props.region,
      accountId: props.accountId,
      runtime: props.runtime ?? CANARY_RUNTIME,
      retentionDays: props.retentionDays,
      permissionsBoundary: props.permissionsBoundary,
      provider: props.provider,
      canaries: Object.fromEntries(
        CANARY_NAMES.map((journey) => [journey, spec(journey)]),
      ) as Record<CanaryName, CanarySpec>,
    });
  }
}
