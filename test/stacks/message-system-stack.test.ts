import { ACCESS_LOG_FORMAT } from '../../contract/logs';
import { buildWebsite } from '../../bundling/website';
import { ROUTES } from '../../contract/api';
import { STAGES } from '../../stacks/config';
import { synthStage, TEST_CONFIGS } from '../support/synth';

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Principal?: unknown;
  Condition?: unknown;
  Sid?: string;
};
const statements = (policy: unknown) =>
  (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;

describe.each(STAGES)('%s stack', (stage) => {
  const config = TEST_CONFIGS[stage];
  const s = () => synthStage(stage);

  describe('provider', () => {
    it(`deploys to ${config.region}`, () => {
      expect(s().awsProviders()).toHaveLength(1);
      expect(s().awsProviders()[0].region).toBe(config.region);
    });
  });

  describe('DynamoDB table', () => {
    it('is on-demand with a string partition key `id`', () => {
      expect(s().only('aws_dynamodb_table')).toMatchObject({
        name: `msgs-${stage}-messages`,
        billing_mode: 'PAY_PER_REQUEST',
        hash_key: 'id',
        attribute: [{ name: 'id', type: 'S' }],
      });
    });
    it('has point-in-time recovery and server-side encryption on', () => {
      const table = s().only('aws_dynamodb_table');
      expect(table.point_in_time_recovery).toEqual({ enabled: true });
      expect(table.server_side_encryption).toEqual({ enabled: true });
    });
    it(`has deletion protection ${config.deletionProtection ? 'on' : 'off'}`, () => {
      expect(s().only('aws_dynamodb_table').deletion_protection_enabled).toBe(
        config.deletionProtection,
      );
    });
  });

  describe('Lambda function', () => {
    const fn = () => s().only('aws_lambda_function');
    it('runs Node.js 22 on arm64 from a hash-named asset', () => {
      expect(fn()).toMatchObject({
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        handler: 'index.handler',
        function_name: `msgs-${stage}-api`,
      });
      expect(fn().filename).toMatch(/^assets\/.+\/[0-9A-F]{32}\/function\.zip$/);
      expect(String(fn().filename)).toContain(String(fn().source_code_hash));
    });
    it('logs JSON at the stage level to its own log group, and tells Powertools the same level', () => {
      expect(fn().logging_config).toEqual({
        log_format: 'JSON',
        application_log_level: config.logLevel,
        system_log_level: 'WARN',
        log_group: expect.stringMatching(
          /^\$\{aws_cloudwatch_log_group\.api_handler_logs_group_[0-9A-F]+\.name\}$/,
        ),
      });
      expect((fn().environment as { variables: Record<string, string> }).variables).toEqual({
        NODE_OPTIONS: '--enable-source-maps',
        TABLE_NAME: s().ref('aws_dynamodb_table', 'name'),
        POWERTOOLS_SERVICE_NAME: 'messages-api',
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        POWERTOOLS_LOGGER_SAMPLE_RATE: String(config.debugSampleRate),
      });
    });
    it('is created after its log group, so Lambda never creates one without retention', () => {
      expect(fn().depends_on).toEqual([
        expect.stringMatching(/^aws_cloudwatch_log_group\.api_handler_logs_group_/),
      ]);
    });
  });

  describe('log groups', () => {
    it(`keep logs ${config.logRetentionDays} days`, () => {
      const groups = s().all('aws_cloudwatch_log_group');
      expect(groups.map((group) => group.name).sort()).toEqual([
        `/aws/apigateway/msgs-${stage}-api`,
        `/aws/lambda/msgs-${stage}-api`,
      ]);
      for (const group of groups) expect(group.retention_in_days).toBe(config.logRetentionDays);
    });
  });

  describe('IAM', () => {
    it('lets only Lambda assume the role', () => {
      expect(statements(s().only('aws_iam_role').assume_role_policy)).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'lambda.amazonaws.com' },
        },
      ]);
    });
    it('grants exactly the DynamoDB actions the handler uses on this table, and logs only to its own group', () => {
      const policy = statements(s().only('aws_iam_role_policy').policy);
      expect(policy).toEqual([
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: expect.stringMatching(
            /^\$\{aws_cloudwatch_log_group\.api_handler_logs_group_[0-9A-F]+\.arn\}:\*$/,
          ),
        },
        {
          Sid: 'ReadWriteMessages',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          Resource: s().ref('aws_dynamodb_table', 'arn'),
        },
      ]);
    });
  });

  describe('HTTP API', () => {
    it(`is an HTTP API whose CORS admits only the website origin${stage === 'dev' ? " and npm start's" : ''}`, () => {
      expect(s().only('aws_apigatewayv2_api')).toMatchObject({
        protocol_type: 'HTTP',
        cors_configuration: {
          allow_origins: [
            `https://${s().ref('aws_cloudfront_distribution', 'domain_name')}`,
            ...(stage === 'dev' ? ['http://localhost:8080'] : []),
          ],
          allow_methods: ['GET', 'POST', 'OPTIONS'],
          allow_headers: ['content-type', 'x-correlation-id'],
        },
      });
    });
    it('has exactly the three message routes, all to one payload 2.0 Lambda integration', () => {
      const routes = s().all('aws_apigatewayv2_route');
      expect(routes.map((route) => route.route_key).sort()).toEqual(Object.values(ROUTES).sort());
      const integration = s().only('aws_apigatewayv2_integration');
      expect(integration).toMatchObject({
        integration_type: 'AWS_PROXY',
        payload_format_version: '2.0',
        integration_uri: s().ref('aws_lambda_function', 'invoke_arn'),
      });
      for (const route of routes)
        expect(route.target).toBe(`integrations/${s().ref('aws_apigatewayv2_integration', 'id')}`);
    });
    it('has a $default stage with auto-deploy and both throttling limits of the stage', () => {
      expect(s().only('aws_apigatewayv2_stage')).toMatchObject({
        name: '$default',
        auto_deploy: true,
        default_route_settings: {
          throttling_burst_limit: config.apiThrottling.burstLimit,
          throttling_rate_limit: config.apiThrottling.rateLimit,
        },
      });
    });
    it('writes JSON access logs with request id, route, status, latencies, integration error, source IP and user agent', () => {
      const settings = s().only('aws_apigatewayv2_stage').access_log_settings as {
        format: string;
        destination_arn: string;
      };
      expect(settings.destination_arn).toMatch(
        /^\$\{aws_cloudwatch_log_group\.api_access-logs_group_[0-9A-F]+\.arn\}$/,
      );
      const format = JSON.parse(settings.format) as Record<string, string>;
      expect(format).toEqual(ACCESS_LOG_FORMAT);
      for (const variable of [
        'requestId',
        'routeKey',
        'status',
        'responseLatency',
        'integrationLatency',
        'integrationErrorMessage',
        'identity.sourceIp',
        'identity.userAgent',
      ]) {
        expect(Object.values(format)).toContain(`$context.${variable}`);
      }
    });
    it('lets only this API invoke the function', () => {
      expect(s().only('aws_lambda_permission')).toMatchObject({
        action: 'lambda:InvokeFunction',
        principal: 'apigateway.amazonaws.com',
        source_arn: `${s().ref('aws_apigatewayv2_api', 'execution_arn')}/*/*`,
      });
    });
  });

  describe('website bucket', () => {
    it('blocks all public access and disables ACLs', () => {
      expect(s().only('aws_s3_bucket_public_access_block')).toMatchObject({
        bucket: s().ref('aws_s3_bucket', 'id'),
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(s().only('aws_s3_bucket_ownership_controls').rule).toEqual({
        object_ownership: 'BucketOwnerEnforced',
      });
      expect(s().only('aws_s3_bucket')).not.toHaveProperty('acl');
    });
    it('encrypts objects by default', () => {
      expect(s().only('aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
      ]);
    });
    it('lets only this distribution read, and only over TLS', () => {
      const [read, deny] = statements(s().only('aws_s3_bucket_policy').policy);
      expect(read).toEqual({
        Sid: 'CloudFrontReadsThroughOriginAccessControl',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `${s().ref('aws_s3_bucket', 'arn')}/*`,
        Condition: {
          StringEquals: { 'AWS:SourceArn': s().ref('aws_cloudfront_distribution', 'arn') },
        },
      });
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    });
  });

  describe('CloudFront', () => {
    const distribution = () => s().only('aws_cloudfront_distribution');
    it('reads the bucket through Origin Access Control', () => {
      expect(distribution().origin).toEqual([
        expect.objectContaining({
          domain_name: s().ref('aws_s3_bucket', 'bucket_regional_domain_name'),
          origin_access_control_id: s().ref('aws_cloudfront_origin_access_control', 'id'),
        }),
      ]);
      expect(s().only('aws_cloudfront_origin_access_control')).toMatchObject({
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
          response_headers_policy_id: s().ref('aws_cloudfront_response_headers_policy', 'id'),
        },
      });
    });
    it('sends HSTS, nosniff, DENY framing, a referrer policy and a CSP that allows the API region', () => {
      const headers = s().only('aws_cloudfront_response_headers_policy')
        .security_headers_config as Record<string, Record<string, unknown>>;
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
        `connect-src 'self' https://*.execute-api.${config.region}.amazonaws.com`,
      );
      expect(headers.content_security_policy.content_security_policy).toContain(
        "script-src 'self'",
      );
    });
  });

  describe('website files', () => {
    it('uploads every file of the build as its own object with its content type and content hash', () => {
      const build = buildWebsite();
      const objects = s()
        .all('aws_s3_object')
        .filter((object) => object.key !== 'config.json');
      expect(objects.map((object) => object.key).sort()).toEqual(
        build.files.map((file) => file.key).sort(),
      );
      for (const file of build.files) {
        expect(objects.find((object) => object.key === file.key)).toMatchObject({
          bucket: s().ref('aws_s3_bucket', 'id'),
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
    it('writes config.json from the API endpoint at deploy time', () => {
      const config = s()
        .all('aws_s3_object')
        .find((object) => object.key === 'config.json');
      expect(config).toMatchObject({
        content: `\${jsonencode({"apiUrl" = ${s().ref('aws_apigatewayv2_api', 'api_endpoint').slice(2, -1)}})}`,
        content_type: 'application/json; charset=utf-8',
        cache_control: 'no-cache',
      });
    });
  });

  describe('outputs', () => {
    it('gives the website URL, the API URL and the table name', () => {
      expect(s().output('website_url')).toBe(
        `https://${s().ref('aws_cloudfront_distribution', 'domain_name')}`,
      );
      expect(s().output('api_url')).toBe(s().ref('aws_apigatewayv2_api', 'api_endpoint'));
      expect(s().output('table_name')).toBe(s().ref('aws_dynamodb_table', 'name'));
    });
  });
});
