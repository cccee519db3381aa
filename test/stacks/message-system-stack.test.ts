import { STAGES } from '../../stacks/config';
import { policyStatements, synthStage, TEST_CONFIGS } from '../support/synth';

// How the stack wires its constructs together and applies the stage config; what each construct
// builds is tested beside it (test/stacks/<folder>/<construct>.test.ts).
describe.each(STAGES)('%s stack', (stage) => {
  const config = TEST_CONFIGS[stage];
  const s = () => synthStage(stage);
  const variables = () =>
    (s().only('aws_lambda_function').environment as { variables: Record<string, string> })
      .variables;

  it(`deploys to ${config.region}`, () => {
    expect(s().awsProviders()).toHaveLength(1);
    expect(s().awsProviders()[0].region).toBe(config.region);
  });

  it(`names its resources msgs-${stage}-…`, () => {
    expect(s().only('aws_dynamodb_table').name).toBe(`msgs-${stage}-messages`);
    expect(s().only('aws_lambda_function').function_name).toBe(`msgs-${stage}-api`);
    expect(s().at('aws_iam_role', 'api/handler/role').name).toBe(`msgs-${stage}-api-function`);
    expect(s().at('aws_iam_role', 'canaries/role').name).toBe(`msgs-${stage}-canaries`);
    expect(s().only('aws_apigatewayv2_api').name).toBe(`msgs-${stage}-api`);
    expect(s().at('aws_s3_bucket', 'website/bucket/bucket').bucket_prefix).toBe(
      `msgs-${stage}-website-`,
    );
    expect(s().at('aws_s3_bucket', 'canaries/artifacts/bucket').bucket_prefix).toBe(
      `msgs-${stage}-canary-artifacts-`,
    );
    expect(
      s()
        .all('aws_synthetics_canary')
        .map((canary) => canary.name)
        .sort(),
    ).toEqual([`msgs-${stage}-api`, `msgs-${stage}-website`]);
    expect(
      s()
        .all('aws_cloudwatch_log_group')
        .map((group) => group.name)
        .sort(),
    ).toEqual(
      [
        `/aws/apigateway/msgs-${stage}-api`,
        `/aws/lambda/msgs-${stage}-api`,
        // The canaries' Lambda names are made by AWS: read from their engine_arn.
        ...['api', 'website'].map(
          (journey) =>
            `/aws/lambda/\${element(split(":", ${s()
              .refAt('aws_synthetics_canary', `canaries/${journey}/canary`, 'engine_arn')
              .slice(2, -1)}), 6)}`,
        ),
      ].sort(),
    );
  });

  it(`has table deletion protection ${config.deletionProtection ? 'on' : 'off'}`, () => {
    expect(s().only('aws_dynamodb_table').deletion_protection_enabled).toBe(
      config.deletionProtection,
    );
  });

  it("binds the stack's table to the function: its name in TABLE_NAME, the grant on its ARN", () => {
    expect(variables().TABLE_NAME).toBe(s().ref('aws_dynamodb_table', 'name'));
    const grant = policyStatements(s().at('aws_iam_role_policy', 'api/handler/policy').policy).find(
      (statement) => statement.Sid === 'ReadWriteMessages',
    );
    expect(grant?.Resource).toBe(s().ref('aws_dynamodb_table', 'arn'));
  });

  it(`logs at ${config.logLevel} in Lambda and Powertools alike, sampling debug at ${config.debugSampleRate}`, () => {
    expect(s().only('aws_lambda_function').logging_config).toMatchObject({
      application_log_level: config.logLevel,
    });
    expect(variables().POWERTOOLS_LOG_LEVEL).toBe(config.logLevel);
    expect(variables().POWERTOOLS_LOGGER_SAMPLE_RATE).toBe(String(config.debugSampleRate));
  });

  it(`keeps logs ${config.logRetentionDays} days`, () => {
    const groups = s().all('aws_cloudwatch_log_group');
    expect(groups).toHaveLength(4);
    for (const group of groups) expect(group.retention_in_days).toBe(config.logRetentionDays);
  });

  it(`lets the API's CORS admit the website's origin${stage === 'dev' ? " and npm start's, by either name of this machine" : ' only'}`, () => {
    expect(s().only('aws_apigatewayv2_api').cors_configuration).toMatchObject({
      allow_origins: [
        `https://${s().ref('aws_cloudfront_distribution', 'domain_name')}`,
        ...(stage === 'dev' ? ['http://localhost:8080', 'http://127.0.0.1:8080'] : []),
      ],
    });
  });

  it(`lets the website's CSP admit HTTP APIs of ${config.region}`, () => {
    const headers = s().only('aws_cloudfront_response_headers_policy').security_headers_config as {
      content_security_policy: { content_security_policy: string };
    };
    expect(headers.content_security_policy.content_security_policy).toContain(
      `connect-src 'self' https://*.execute-api.${config.region}.amazonaws.com`,
    );
  });

  it(`throttles the API at ${config.apiThrottling.burstLimit} burst, ${config.apiThrottling.rateLimit} per second`, () => {
    expect(s().only('aws_apigatewayv2_stage').default_route_settings).toMatchObject({
      throttling_burst_limit: config.apiThrottling.burstLimit,
      throttling_rate_limit: config.apiThrottling.rateLimit,
    });
  });

  it("writes the website's config.json from the API endpoint at deploy time", () => {
    const configFile = s()
      .all('aws_s3_object')
      .find((object) => object.key === 'config.json');
    expect(configFile).toMatchObject({
      bucket: s().refAt('aws_s3_bucket', 'website/bucket/bucket', 'id'),
      content: `\${jsonencode({"apiUrl" = ${s().ref('aws_apigatewayv2_api', 'api_endpoint').slice(2, -1)}})}`,
    });
  });

  it("points the canaries at this stage's website and API", () => {
    for (const canary of s().all('aws_synthetics_canary')) {
      expect(
        (canary.run_config as { environment_variables: unknown }).environment_variables,
      ).toEqual({
        WEBSITE_URL: s().output('website_url'),
        API_URL: s().output('api_url'),
      });
    }
  });

  it('gives the website URL, the API URL and the table name', () => {
    expect(s().output('website_url')).toBe(
      `https://${s().ref('aws_cloudfront_distribution', 'domain_name')}`,
    );
    expect(s().output('api_url')).toBe(s().ref('aws_apigatewayv2_api', 'api_endpoint'));
    expect(s().output('table_name')).toBe(s().ref('aws_dynamodb_table', 'name'));
  });
});
