import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { PrivateBucket } from '@monitored/cdktf-monitoring';

export interface StateBucketProps {
  /** A name from `physicalName(…, 's3BucketPrefix')`; Terraform completes it to a unique name. */
  readonly bucketPrefix: string;
  /** Days a replaced or deleted state version is kept. @default 90 */
  readonly keepOldVersionsDays?: number;
  /** @default the stack's default AWS provider */
  readonly provider?: AwsProvider;
}

/**
 * The bucket every stage keeps its Terraform state in: private, encrypted, TLS-only (PrivateBucket)
 * and versioned, as the S3 backend's guide asks, so that a state overwritten by mistake can be
 * restored (https://developer.hashicorp.com/terraform/language/backend/s3). Old versions expire,
 * so that the history of a state that may hold secrets does not grow forever. Never force-destroyed:
 * deleting it takes emptying it on purpose first.
 */
export class StateBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly versioning: S3BucketVersioningA;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const provider = props.provider;
    const keepDays = props.keepOldVersionsDays ?? 90;
    const privateBucket = new PrivateBucket(this, 'bucket', {
      bucketPrefix: props.bucketPrefix,
      forceDestroy: false,
      provider,
    });
    this.bucket = privateBucket.bucket;
    this.versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
      provider,
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          // An empty filter is the whole bucket.
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: keepDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
      // S3 refuses noncurrent-version rules on a bucket whose versioning is not yet set.
      dependsOn: [this.versioning],
      provider,
    });
  }
}
