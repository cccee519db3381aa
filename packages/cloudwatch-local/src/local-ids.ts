/**
 * What AWS would make up for the stage's resources, made up once for the local system: the
 * account, the HTTP API's id, the distribution's id, the canaries' Lambda functions. The stage's
 * synthesized definitions resolve through these (stack-definitions.ts), and the local parts
 * record their metrics under the same values, so a dashboard or an alarm that names the wrong
 * resource finds no data here as it would find none on AWS.
 */
import { createHash } from 'node:crypto';
import { canaryFunctionNamePrefix } from '@monitored/cloudwatch-model';
import type { ComputedAttribute, Json } from '@monitored/terraform-json';

export const LOCAL_ACCOUNT_ID = '000000000000';
/** The local API front puts this in every event's requestContext.apiId. */
export const LOCAL_API_ID = 'local';
export const LOCAL_DISTRIBUTION_ID = 'ELOCALSITE00001';

/** A UUID that depends only on `seed`, so the same canary gets the same id on every start. */
function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The Lambda function Synthetics makes for a canary, its id a stable stand-in. */
export function canaryFunctionName(canaryName: string): string {
  return `${canaryFunctionNamePrefix(canaryName)}-${stableUuid(canaryName)}`;
}

/** The URLs AWS would give the stage's API and website, under the local stand-in ids. */
export function awsUrls(region: string): { readonly apiUrl: string; readonly websiteUrl: string } {
  return {
    apiUrl: `https://${LOCAL_API_ID}.execute-api.${region}.amazonaws.com`,
    websiteUrl: `https://${LOCAL_DISTRIBUTION_ID.toLowerCase()}.cloudfront.net`,
  };
}

/**
 * Stand-ins for the attributes AWS computes, for a resource in `region`: ids and ARNs shaped as
 * AWS shapes them. An attribute with no stand-in stays unresolved (an error where it is used).
 */
export function localStandIns(
  regionOf: (config: Record<string, Json>) => string,
): ComputedAttribute {
  return (type, name, attribute, config) => {
    const region = regionOf(config);
    const arn = (service: string, resource: string) =>
      `arn:aws:${service}:${region}:${LOCAL_ACCOUNT_ID}:${resource}`;
    switch (`${type}.${attribute}`) {
      case 'data.aws_caller_identity.account_id':
        return LOCAL_ACCOUNT_ID;
      case 'aws_apigatewayv2_api.id':
        return LOCAL_API_ID;
      case 'aws_apigatewayv2_api.api_endpoint':
        return awsUrls(region).apiUrl;
      case 'aws_cloudfront_distribution.id':
        return LOCAL_DISTRIBUTION_ID;
      case 'aws_cloudfront_distribution.domain_name':
        return new URL(awsUrls(region).websiteUrl).host;
      case 'aws_cloudwatch_metric_alarm.arn':
      case 'aws_cloudwatch_composite_alarm.arn':
        return arn('cloudwatch', `alarm:${String(config.alarm_name)}`);
      case 'aws_sns_topic.arn':
        return arn('sns', String(config.name));
      case 'aws_synthetics_canary.engine_arn':
        return arn('lambda', `function:${canaryFunctionName(String(config.name))}:1`);
      case 'aws_lambda_function_url.function_url':
        // "https://<url-id>.lambda-url.<region>.on.aws", the url-id 32 lowercase letters and digits
        // (Lambda developer guide, "Creating and managing Lambda function URLs").
        return `https://${createHash('sha256').update(name).digest('hex').slice(0, 32)}.lambda-url.${region}.on.aws/`;
      case 'aws_lambda_function.arn':
        return arn('lambda', `function:${String(config.function_name)}`);
      case 'aws_cloudwatch_log_group.arn':
        return arn('logs', `log-group:${String(config.name)}`);
      case 'aws_dynamodb_table.arn':
        return arn('dynamodb', `table/${String(config.name)}`);
      default:
        return undefined;
    }
  };
}
