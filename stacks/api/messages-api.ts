import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import type { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Construct } from 'constructs';
import type { LambdaBundle } from '../../bundling/lambda';
import {
  API_INTEGRATION_TIMEOUT_MS,
  API_STAGE,
  CORS,
  DEFAULT_ROUTE,
  ROUTES,
} from '../../contract/api';
import {
  FUNCTION_ENV,
  MESSAGES_FUNCTION,
  messagesPowertoolsEnvironment,
} from '../../contract/function';
import { accessLogFormat, type LogLevel } from '../../contract/logs';
import type { ApiThrottling } from '../config';
import { LogGroup } from '@monitored/cdktf-monitoring';
import { stageNames } from '../shared/stage-names';
import { NodeFunction } from '@monitored/cdktf-monitoring';

export interface MessagesApiProps {
  /** `<app>-<stage>`, the start of every name. */
  readonly namePrefix: string;
  readonly table: DynamodbTable;
  readonly bundle: LambdaBundle;
  /** Origins a browser may call the API from: the website's, and nothing else. */
  readonly allowedOrigins: readonly string[];
  readonly throttling: ApiThrottling;
  readonly logLevel: LogLevel;
  readonly debugSampleRate: number;
  readonly logRetentionDays: number;
  /** The stage's permissions boundary (its ARN), which the function's role carries. */
  readonly permissionsBoundary: string;
}

/**
 * What the deployer's own identity needs to turn on an HTTP API's access logs, as AWS's guide lists
 * it ("Permissions to activate logging"):
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
 */
export const ACCESS_LOG_DEPLOYER_ACTIONS = {
  /** On the log groups (`arn:aws:logs:<region>:<account>:log-group:*`). */
  logGroups: [
    'logs:DescribeLogGroups',
    'logs:DescribeLogStreams',
    'logs:GetLogEvents',
    'logs:FilterLogEvents',
  ],
  /** On `*`: log deliveries and resource policies have no narrower resource. */
  anyResource: [
    'logs:CreateLogDelivery',
    'logs:PutResourcePolicy',
    'logs:UpdateLogDelivery',
    'logs:DeleteLogDelivery',
    'logs:CreateLogGroup',
    'logs:DescribeResourcePolicies',
    'logs:GetLogDelivery',
    'logs:ListLogDeliveries',
  ],
} as const;

// Actions the handler calls: GetItem for reads, and TransactWriteItems, which IAM authorizes as a
// PutItem and an UpdateItem on the items it writes.
const TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;

/**
 * An HTTP API (v2: about $1 per million requests against REST's $3.50, and no account-level
 * logging role to manage) with the three message routes and `$default` in front of one function.
 */
export class MessagesApi extends Construct {
  public readonly api: Apigatewayv2Api;
  /** Its `apiId` and `name` are the `ApiId` and `Stage` dimensions of the API's metrics. */
  public readonly stage: Apigatewayv2Stage;
  public readonly handler: NodeFunction;
  public readonly accessLogGroupName: string;

  constructor(scope: Construct, id: string, props: MessagesApiProps) {
    super(scope, id);
    const names = stageNames(props.namePrefix);
    this.handler = new NodeFunction(this, 'handler', {
      functionName: names.function,
      roleName: names.functionRole,
      permissionsBoundary: props.permissionsBoundary,
      bundle: props.bundle,
      environment: messagesPowertoolsEnvironment({
        logLevel: props.logLevel,
        debugSampleRate: props.debugSampleRate,
      }),
      logLevel: props.logLevel,
      logRetentionDays: props.logRetentionDays,
      settings: MESSAGES_FUNCTION,
    });
    this.handler.bindTable(props.table, {
      variable: FUNCTION_ENV.tableName,
      actions: TABLE_ACTIONS,
      sid: 'ReadWriteMessages',
    });

    this.api = new Apigatewayv2Api(this, 'api', {
      name: names.api,
      protocolType: 'HTTP',
      // API Gateway answers preflights itself and replaces the function's CORS headers with these.
      corsConfiguration: {
        allowOrigins: [...props.allowedOrigins],
        allowMethods: [...CORS.allowMethods],
        allowHeaders: [...CORS.allowHeaders],
        exposeHeaders: [...CORS.exposeHeaders],
        maxAge: CORS.maxAgeSeconds,
      },
    });

    // HTTP APIs write access logs with no account-level role (REST APIs need aws_api_gateway_account);
    // the deployer needs ACCESS_LOG_DEPLOYER_ACTIONS.
    const accessLogs = new LogGroup(this, 'access-logs', {
      name: names.accessLogGroup,
      retentionDays: props.logRetentionDays,
    }).group;
    this.accessLogGroupName = accessLogs.name;

    this.stage = new Apigatewayv2Stage(this, 'stage', {
      apiId: this.api.id,
      name: API_STAGE,
      autoDeploy: true,
      accessLogSettings: {
        destinationArn: accessLogs.arn,
        format: accessLogFormat(),
      },
      // Set both limits: default_route_settings without them throttles every request to 0 (429).
      defaultRouteSettings: {
        throttlingBurstLimit: props.throttling.burstLimit,
        throttlingRateLimit: props.throttling.rateLimit,
        detailedMetricsEnabled: false,
      },
    });

    const integration = new Apigatewayv2Integration(this, 'integration', {
      apiId: this.api.id,
      integrationType: 'AWS_PROXY',
      integrationUri: this.handler.function.invokeArn,
      integrationMethod: 'POST',
      payloadFormatVersion: '2.0',
      timeoutMilliseconds: API_INTEGRATION_TIMEOUT_MS,
    });
    const routes: Record<string, string> = { ...ROUTES, default: DEFAULT_ROUTE };
    for (const [name, routeKey] of Object.entries(routes)) {
      new Apigatewayv2Route(this, `route-${name}`, {
        apiId: this.api.id,
        routeKey,
        target: `integrations/${integration.id}`,
      });
    }

    new LambdaPermission(this, 'invoke-permission', {
      functionName: this.handler.function.functionName,
      action: 'lambda:InvokeFunction',
      principal: 'apigateway.amazonaws.com',
      // Only this API may invoke the function (any stage, method and route of it).
      sourceArn: `${this.api.executionArn}/*/*`,
    });
  }
}
