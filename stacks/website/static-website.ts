import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { AssetType, Fn, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import type { WebsiteBuild } from '../../bundling/website';
import {
  contentSecurityPolicy,
  NOT_FOUND_PAGE,
  WEBSITE_CONFIG_FILE,
  type WebsiteConfig,
} from '../../contract/website';
import { physicalName } from '@monitored/cdktf-monitoring';
import { PrivateBucket } from '@monitored/cdktf-monitoring';

// AWS managed cache policy "Managed-CachingOptimized": honours the objects' Cache-Control.
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
const CACHING_OPTIMIZED_POLICY_ID = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ORIGIN_ID = 'website-bucket';
// 403: a missing key without s3:ListBucket; 404: the same if that permission is ever granted.
const MISSING_OBJECT_STATUSES = [403, 404];
const ERROR_CACHING_SECONDS = 10;

export interface StaticWebsiteProps {
  /** `<app>-<stage>`, the start of every name. */
  readonly namePrefix: string;
  readonly region: string;
  readonly build: WebsiteBuild;
}

/**
 * The website in a private bucket behind CloudFront. Since April 2023 new buckets block public
 * access and disable ACLs, so the old public-read website bucket no longer deploys: CloudFront
 * reads the bucket through Origin Access Control, and the bucket policy admits this distribution only.
 */
export class StaticWebsite extends Construct {
  public readonly bucket: S3Bucket;
  public readonly distribution: CloudfrontDistribution;
  /** `https://<id>.cloudfront.net`, the only origin the API accepts calls from. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: StaticWebsiteProps) {
    super(scope, id);
    const bucket = new PrivateBucket(this, 'bucket', {
      bucketPrefix: physicalName(props.namePrefix, 'website', 's3BucketPrefix'),
      // Only build output lives here; `destroy` may empty it.
      forceDestroy: true,
    });
    this.bucket = bucket.bucket;

    const originAccess = new CloudfrontOriginAccessControl(this, 'origin-access', {
      name: physicalName(props.namePrefix, 'website', 'cloudfrontPolicy'),
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });

    const headers = new CloudfrontResponseHeadersPolicy(this, 'security-headers', {
      name: physicalName(props.namePrefix, 'website-headers', 'cloudfrontPolicy'),
      securityHeadersConfig: {
        // The API's exact origin would make a cycle (API CORS -> distribution -> this policy -> API),
        // so the CSP admits HTTP APIs of this region; the API's CORS admits this site only.
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(
            `https://*.execute-api.${props.region}.amazonaws.com`,
          ),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAgeSec: 63_072_000,
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: 'DENY', override: true },
        referrerPolicy: { referrerPolicy: 'strict-origin-when-cross-origin', override: true },
      },
    });

    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      enabled: true,
      comment: `${props.namePrefix} message system website`,
      defaultRootObject: 'index.html',
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      // North America and Europe edges only: the cheapest class.
      priceClass: 'PriceClass_100',
      origin: [
        {
          originId: ORIGIN_ID,
          domainName: this.bucket.bucketRegionalDomainName,
          originAccessControlId: originAccess.id,
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: ORIGIN_ID,
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['GET', 'HEAD'],
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
        responseHeadersPolicyId: headers.id,
        compress: true,
      },
      // CloudFront reads with s3:GetObject only, so S3 answers a missing key 403 AccessDenied
      // (XML), not 404 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html,
      // "Permissions"). A visitor gets the build's 404 page with status 404 instead; the short
      // caching keeps a page deployed after a miss from staying hidden behind a cached error.
      customErrorResponse: MISSING_OBJECT_STATUSES.map((errorCode) => ({
        errorCode,
        responseCode: 404,
        responsePagePath: `/${NOT_FOUND_PAGE}`,
        errorCachingMinTtl: ERROR_CACHING_SECONDS,
      })),
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: { cloudfrontDefaultCertificate: true },
    });
    this.url = `https://${this.distribution.domainName}`;

    bucket.addToPolicy({
      Sid: 'CloudFrontReadsThroughOriginAccessControl',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: bucket.arnForObjects('*'),
      Condition: { StringEquals: { 'AWS:SourceArn': this.distribution.arn } },
    });

    this.uploadBuild(props.build);
  }

  /** Writes `config.json` from values only known at deploy time (the API's endpoint). */
  public addConfig(config: WebsiteConfig): S3Object {
    return new S3Object(this, 'config', {
      bucket: this.bucket.id,
      key: WEBSITE_CONFIG_FILE,
      content: Fn.jsonencode(config),
      contentType: 'application/json; charset=utf-8',
      cacheControl: 'no-cache',
    });
  }

  private uploadBuild(build: WebsiteBuild): void {
    const asset = new TerraformAsset(this, 'build', {
      path: build.directory,
      type: AssetType.DIRECTORY,
    });
    for (const file of build.files) {
      new S3Object(this, `file-${file.key.replace(/[^a-zA-Z0-9]/g, '-')}`, {
        bucket: this.bucket.id,
        key: file.key,
        source: `${asset.path}/${file.key}`,
        // Re-upload exactly when the content changes.
        sourceHash: file.sha256,
        contentType: file.contentType,
        cacheControl: file.cacheControl,
      });
    }
  }
}
