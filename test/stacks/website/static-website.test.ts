import { TerraformOutput } from 'cdktf';
import { buildWebsite } from '../../../bundling/website';
import { StaticWebsite } from '../../../stacks/website/static-website';
import { policyStatements, synthScope } from '../../support/synth';

describe('StaticWebsite', () => {
  const build = buildWebsite();
  const s = synthScope((scope) => {
    const website = new StaticWebsite(scope, 'website', {
      namePrefix: 'msgs-test',
      region: 'eu-west-1',
      build,
    });
    website.addConfig({ apiUrl: 'https://api.example.com' });
    new TerraformOutput(scope, 'url', { value: website.url });
    new TerraformOutput(scope, 'distribution_id', { value: website.distribution.id });
  });
  const distribution = () => s.only('aws_cloudfront_distribution');

  describe('bucket', () => {
    it('is a private bucket, emptied on destroy, named from the prefix', () => {
      expect(s.only('aws_s3_bucket')).toEqual({
        bucket_prefix: 'msgs-test-website-',
        force_destroy: true,
      });
      expect(s.only('aws_s3_bucket_public_access_block').bucket).toBe(s.ref('aws_s3_bucket', 'id'));
      expect(s.only('aws_s3_bucket_ownership_controls').bucket).toBe(s.ref('aws_s3_bucket', 'id'));
    });

    it('lets only this distribution read, and only over TLS', () => {
      const [read, deny, ...others] = policyStatements(s.only('aws_s3_bucket_policy').policy);
      expect(read).toEqual({
        Sid: 'CloudFrontReadsThroughOriginAccessControl',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `${s.ref('aws_s3_bucket', 'arn')}/*`,
        Condition: {
          StringEquals: { 'AWS:SourceArn': s.ref('aws_cloudfront_distribution', 'arn') },
        },
      });
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      expect(others).toEqual([]);
    });
  });

  describe('CloudFront', () => {
    it('reads the bucket through Origin Access Control', () => {
      expect(distribution().origin).toEqual([
        expect.objectContaining({
          domain_name: s.ref('aws_s3_bucket', 'bucket_regional_domain_name'),
          origin_access_control_id: s.ref('aws_cloudfront_origin_access_control', 'id'),
        }),
      ]);
      expect(s.only('aws_cloudfront_origin_access_control')).toMatchObject({
        name: 'msgs-test-website',
        origin_access_control_origin_type: 's3',
        signing_behavior: 'always',
        signing_protocol: 'sigv4',
      });
    });

    it('redirects HTTP to HTTPS, serves index.html at the root, and adds the security headers policy', () => {
      expect(distribution()).toMatchObject({
        default_root_object: 'index.html',
        default_cache_behavior: {
          viewer_protocol_policy: 'redirect-to-https',
          response_headers_policy_id: s.ref('aws_cloudfront_response_headers_policy', 'id'),
        },
      });
    });

    it('sends HSTS, nosniff, DENY framing, a referrer policy and a CSP that allows the API region', () => {
      const policy = s.only('aws_cloudfront_response_headers_policy');
      expect(policy.name).toBe('msgs-test-website-headers');
      const headers = policy.security_headers_config as Record<string, Record<string, unknown>>;
      expect(headers.strict_transport_security).toMatchObject({
        access_control_max_age_sec: 63072000,
        override: true,
      });
      expect(headers.content_type_options).toEqual({ override: true });
      expect(headers.frame_options).toEqual({ frame_option: 'DENY', override: true });
      expect(headers.referrer_policy).toMatchObject({
        referrer_policy: 'strict-origin-when-cross-origin',
      });
      expect(headers.content_security_policy.content_security_policy).toContain(
        "connect-src 'self' https://*.execute-api.eu-west-1.amazonaws.com",
      );
      expect(headers.content_security_policy.content_security_policy).toContain(
        "script-src 'self'",
      );
    });

    it("answers a missing object (S3's 403 without s3:ListBucket, or 404) with the uploaded 404 page and status 404", () => {
      const responses = distribution().custom_error_response as Record<string, unknown>[];
      expect(responses.map((response) => response.error_code).sort()).toEqual([403, 404]);
      for (const response of responses) {
        expect(response).toEqual({
          error_code: response.error_code,
          response_code: 404,
          response_page_path: '/404.html',
          error_caching_min_ttl: 10,
        });
      }
      const page = s.all('aws_s3_object').find((object) => object.key === '404.html');
      expect(page).toMatchObject({ content_type: 'text/html; charset=utf-8' });
    });

    it('gives its URL as https://<distribution domain>', () => {
      expect(s.output('url')).toBe(
        `https://${s.ref('aws_cloudfront_distribution', 'domain_name')}`,
      );
      expect(s.output('distribution_id')).toBe(s.ref('aws_cloudfront_distribution', 'id'));
    });
  });

  describe('files', () => {
    it('uploads every file of the build as its own object with its content type and content hash', () => {
      const objects = s.all('aws_s3_object').filter((object) => object.key !== 'config.json');
      expect(objects.map((object) => object.key).sort()).toEqual(
        build.files.map((file) => file.key).sort(),
      );
      for (const file of build.files) {
        expect(objects.find((object) => object.key === file.key)).toMatchObject({
          bucket: s.ref('aws_s3_bucket', 'id'),
          content_type: file.contentType,
          source_hash: file.sha256,
          cache_control: file.cacheControl,
          source: expect.stringMatching(
            new RegExp(`^assets/.+/${file.key.replace(/[.]/g, '\\.')}$`),
          ),
        });
      }
      expect(build.files.map((file) => file.key)).toEqual(
        expect.arrayContaining(['index.html', 'favicon.svg']),
      );
    });

    it('writes config.json, never cached, from the values it is given', () => {
      expect(s.all('aws_s3_object').find((object) => object.key === 'config.json')).toEqual({
        bucket: s.ref('aws_s3_bucket', 'id'),
        key: 'config.json',
        content: '${jsonencode({"apiUrl" = "https://api.example.com"})}',
        content_type: 'application/json; charset=utf-8',
        cache_control: 'no-cache',
      });
    });
  });
});
