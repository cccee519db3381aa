import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { policyDocument, type PolicyStatement } from './iam-policy';

export interface PrivateBucketProps {
  /** A name from `physicalName(…, 's3BucketPrefix')`; Terraform completes it to a unique name. */
  readonly bucketPrefix: string;
  /** Lets `destroy` delete the bucket with the objects still in it. @default false */
  readonly forceDestroy?: boolean;
  /**
   * Days after which S3 deletes each object (and an unfinished multipart upload after one day).
   * @default objects are kept until someone deletes them
   */
  readonly expireObjectsAfterDays?: number;
  /** @default the stack's default AWS provider */
  readonly provider?: AwsProvider;
}

/**
 * A bucket as S3 has created them since April 2023, stated rather than assumed: all four public
 * access blocks on, ACLs disabled (BucketOwnerEnforced), default encryption (SSE-S3), and a policy
 * that refuses any request without TLS. A bucket has one policy, so whoever owns the bucket adds
 * its grants to this one (`addToPolicy`) instead of creating a second, which would replace it.
 */
export class PrivateBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly policy: S3BucketPolicy;
  /** Present when the bucket expires its objects. */
  public readonly lifecycle?: S3BucketLifecycleConfiguration;
  private readonly grants: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    const provider = props.provider;
    this.bucket = new S3Bucket(this, 'bucket', {
      bucketPrefix: props.bucketPrefix,
      forceDestroy: props.forceDestroy ?? false,
      provider,
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      provider,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
      provider,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
      provider,
    });

    if (props.expireObjectsAfterDays !== undefined) {
      const days = props.expireObjectsAfterDays;
      if (!Number.isInteger(days) || days < 1) {
        throw new Error(
          `${this.node.path}: expireObjectsAfterDays must be a whole number of days, at least 1`,
        );
      }
      this.lifecycle = new S3BucketLifecycleConfiguration(this, 'lifecycle', {
        bucket: this.bucket.id,
        rule: [
          {
            id: 'expire-objects',
            status: 'Enabled',
            // An empty filter is the whole bucket.
            filter: [{}],
            expiration: [{ days }],
            abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
          },
        ],
        provider,
      });
    }

    const denyInsecureTransport: PolicyStatement = {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [this.bucket.arn, this.arnForObjects('*')],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      // Read at synth, so that grants added after the constructor are in it.
      policy: Lazy.stringValue({
        produce: () => policyDocument([...this.grants, denyInsecureTransport]),
      }),
      // The public access block must exist first, or S3 judges the policy against an unblocked bucket.
      dependsOn: [publicAccessBlock],
      provider,
    });
  }

  /** Adds statements to the bucket's policy, ahead of its TLS-only deny. */
  public addToPolicy(...statements: PolicyStatement[]): void {
    this.grants.push(...statements);
  }

  /** The ARN of the objects whose keys match `keyPattern` (`*`, `reports/*`). */
  public arnForObjects(keyPattern: string): string {
    return `${this.bucket.arn}/${keyPattern}`;
  }
}
