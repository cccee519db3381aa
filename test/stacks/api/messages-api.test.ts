import * as fs from 'node:fs';
import * as path from 'node:path';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { TerraformOutput } from 'cdktf';
import { bundleLambda } from '../../../bundling/lambda';
import { API_INTEGRATION_TIMEOUT_MS, CORS, DEFAULT_ROUTE, ROUTES } from '../../../contract/api';
import { ACCESS_LOG_FORMAT } from '../../../contract/logs';
import { ACCESS_LOG_DEPLOYER_ACTIONS, MessagesApi } from '../../../stacks/api/messages-api';
import { policyStatements, synthScope } from '../../support/synth';

const ORIGINS = ['https://site.example.com', 'http://localhost:8080'];

/** The variable each field of an access log format holds, quoted or not. */
const formatOf = (format: string): Record<string, string> =>
  JSON.parse(format.replace(/:(\$context\.[\w.]+)/g, ':"$1"')) as Record<string, string>;

describe('MessagesApi', () => {
  const s = synthScope((scope) => {
    const table = new DynamodbTable(scope, 'table', {
      name: 'msgs-test-messages',
      hashKey: 'id',
      attribute: [{ name: 'id', type: 'S' }],
    });
    const api = new MessagesApi(scope, 'api', {
      namePrefix: 'msgs-test',
      table,
      bundle: bundleLambda(),
      allowedOrigins: ORIGINS,
      throttling: { burstLimit: 20, rateLimit: 10 },
      permissionsBoundary: 'arn:aws:iam::123456789012:policy/msgs-boundary-test',
      logLevel: 'DEBUG',
      debugSampleRate: 0.1,
      logRetentionDays: 7,
    });
    // What monitoring will read from the construct, as a consumer would use it.
    new TerraformOutput(scope, 'stage_api_id', { value: api.stage.apiId });
    new TerraformOutput(scope, 'stage_name', { value: api.stage.name });
    new TerraformOutput(scope, 'function_name', { value: api.handler.function.functionName });
    new TerraformOutput(scope, 'function_log_group', { value: api.handler.logGroupName });
    new TerraformOutput(scope, 'access_log_group', { value: api.accessLogGroupName });
  });
  const logGroup = (name: string) =>
    Object.entries(s.json.resource.aws_cloudwatch_log_group).find(
      ([, group]) => group.name === name,
    )?.[0];

  describe('function', () => {
    const fn = () => s.only('aws_lambda_function');

    it('runs Node.js 22 on arm64 with 256 MB for at most 5 s', () => {
      expect(fn()).toMatchObject({
        function_name: 'msgs-test-api',
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        memory_size: 256,
        timeout: 5,
        handler: 'index.handler',
      });
    });

    it("logs JSON at the given level, tells Powertools the same level, and reads the table's name", () => {
      expect(fn().logging_config).toMatchObject({
        log_format: 'JSON',
        application_log_level: 'DEBUG',
      });
      expect((fn().environment as { variables: Record<string, string> }).variables).toEqual({
        NODE_OPTIONS: '--enable-source-maps',
        TABLE_NAME: s.ref('aws_dynamodb_table', 'name'),
        POWERTOOLS_SERVICE_NAME: 'messages-api',
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
        POWERTOOLS_LOGGER_SAMPLE_RATE: '0.1',
      });
    });

    it('may use exactly the DynamoDB actions the handler calls, on this table, and log only to its own group', () => {
      expect(s.only('aws_iam_role').name).toBe('msgs-test-api-function');
      expect(policyStatements(s.only('aws_iam_role_policy').policy)).toEqual([
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `\${aws_cloudwatch_log_group.${logGroup('/aws/lambda/msgs-test-api')}.arn}:*`,
        },
        {
          Sid: 'ReadWriteMessages',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          Resource: s.ref('aws_dynamodb_table', 'arn'),
        },
      ]);
    });

    it('may be invoked by this API only', () => {
      expect(s.only('aws_lambda_permission')).toMatchObject({
        function_name: s.ref('aws_lambda_function', 'function_name'),
        action: 'lambda:InvokeFunction',
        principal: 'apigateway.amazonaws.com',
        source_arn: `${s.ref('aws_apigatewayv2_api', 'execution_arn')}/*/*`,
      });
    });
  });

  describe('HTTP API', () => {
    it('is an HTTP API whose CORS admits the given origins only', () => {
      expect(s.only('aws_apigatewayv2_api')).toMatchObject({
        name: 'msgs-test-api',
        protocol_type: 'HTTP',
        cors_configuration: {
          allow_origins: ORIGINS,
          allow_methods: ['GET', 'POST', 'OPTIONS'],
          allow_headers: ['content-type', 'x-correlation-id', 'idempotency-key'],
          expose_headers: ['location', 'x-correlation-id', 'retry-after'],
          max_age: 3600,
        },
      });
    });

    it('has the three message routes and $default, all to one payload 2.0 Lambda integration', () => {
      const routes = s.all('aws_apigatewayv2_route');
      // $default sends every other request to the function, which answers the API's own JSON 404
      // instead of API Gateway's {"message":"Not Found"}.
      expect(routes.map((route) => route.route_key).sort()).toEqual(
        [...Object.values(ROUTES), '$default'].sort(),
      );
      expect(DEFAULT_ROUTE).toBe('$default');
      expect(s.only('aws_apigatewayv2_integration')).toMatchObject({
        api_id: s.ref('aws_apigatewayv2_api', 'id'),
        integration_type: 'AWS_PROXY',
        integration_method: 'POST',
        payload_format_version: '2.0',
        integration_uri: s.ref('aws_lambda_function', 'invoke_arn'),
        timeout_milliseconds: API_INTEGRATION_TIMEOUT_MS,
      });
      for (const route of routes) {
        expect(route.api_id).toBe(s.ref('aws_apigatewayv2_api', 'id'));
        expect(route.target).toBe(`integrations/${s.ref('aws_apigatewayv2_integration', 'id')}`);
      }
    });

    it('has a $default stage with auto-deploy and both throttling limits given', () => {
      expect(s.only('aws_apigatewayv2_stage')).toMatchObject({
        api_id: s.ref('aws_apigatewayv2_api', 'id'),
        name: '$default',
        auto_deploy: true,
        default_route_settings: {
          throttling_burst_limit: 20,
          throttling_rate_limit: 10,
          detailed_metrics_enabled: false,
        },
      });
    });

    it('writes JSON access logs with request id, route, status, latencies, integration error, source IP and user agent', () => {
      const settings = s.only('aws_apigatewayv2_stage').access_log_settings as {
        format: string;
        destination_arn: string;
      };
      expect(settings.destination_arn).toBe(
        `\${aws_cloudwatch_log_group.${logGroup('/aws/apigateway/msgs-test-api')}.arn}`,
      );
      const format = formatOf(settings.format);
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

    it("logs API Gateway's own error message and response type, so a gateway-side 4xx or 5xx has a reason", () => {
      const settings = s.only('aws_apigatewayv2_stage').access_log_settings as { format: string };
      const format = formatOf(settings.format);
      expect(format.errorMessage).toBe('$context.error.message');
      expect(format.errorResponseType).toBe('$context.error.responseType');
    });

    it('writes lines that are JSON once filled in, with the status a number (for `status >= 500`)', () => {
      const settings = s.only('aws_apigatewayv2_stage').access_log_settings as { format: string };
      // As API Gateway fills it in: a status, and `-` for values it does not have.
      const line = settings.format
        .replace('$context.status', '502')
        .replace(/\$context\.[\w.]+/g, '-');
      expect(JSON.parse(line)).toMatchObject({ status: 502, integrationLatency: '-' });
    });

    it('admits the Idempotency-Key header from the browser', () => {
      const cors = s.only('aws_apigatewayv2_api').cors_configuration as { allow_headers: string[] };
      expect(cors.allow_headers).toEqual([...CORS.allowHeaders]);
      expect(cors.allow_headers).toContain('idempotency-key');
    });
  });

  it('keeps the logs of the function and of the API for the given days', () => {
    const groups = s.all('aws_cloudwatch_log_group');
    expect(groups.map((group) => group.name).sort()).toEqual([
      '/aws/apigateway/msgs-test-api',
      '/aws/lambda/msgs-test-api',
    ]);
    for (const group of groups) expect(group.retention_in_days).toBe(7);
  });

  it('exposes the stage, the function and both log group names for monitoring', () => {
    expect(s.output('stage_api_id')).toBe(s.ref('aws_apigatewayv2_stage', 'api_id'));
    expect(s.output('stage_name')).toBe(s.ref('aws_apigatewayv2_stage', 'name'));
    expect(s.output('function_name')).toBe(s.ref('aws_lambda_function', 'function_name'));
    expect(s.output('function_log_group')).toBe(
      `\${aws_cloudwatch_log_group.${logGroup('/aws/lambda/msgs-test-api')}.name}`,
    );
    expect(s.output('access_log_group')).toBe(
      `\${aws_cloudwatch_log_group.${logGroup('/aws/apigateway/msgs-test-api')}.name}`,
    );
  });

  it("tells the deployer, in the first-deploy guide, every permission AWS's guide lists for turning on access logs", () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../../docs/first-deploy.md'), 'utf8');
    const deploying = readme.slice(readme.indexOf('## Deploying'));
    for (const action of [
      ...ACCESS_LOG_DEPLOYER_ACTIONS.logGroups,
      ...ACCESS_LOG_DEPLOYER_ACTIONS.anyResource,
    ]) {
      expect(deploying).toContain(`\`${action}\``);
    }
  });
});
