/**
 * The physical names of a stage's resources, from the one naming helper: the constructs name
 * their resources with these, and whatever needs a name as text (the links in alarm descriptions,
 * the local system running as a stage) reads the same ones. No cdktf imports.
 */
import type { CanaryName } from '../../contract/canaries';
import { lambdaLogGroupName, physicalName } from '@monitored/cdktf-monitoring';

export interface StageNames {
  readonly table: string;
  readonly function: string;
  readonly functionRole: string;
  /** The log group Lambda writes the function's lines to. */
  readonly functionLogGroup: string;
  readonly api: string;
  /** The HTTP API's access log. */
  readonly accessLogGroup: string;
  readonly canary: (name: CanaryName) => string;
}

export function stageNames(namePrefix: string): StageNames {
  const functionName = physicalName(namePrefix, 'api', 'lambdaFunction');
  const apiName = physicalName(namePrefix, 'api', 'httpApi');
  return {
    table: physicalName(namePrefix, 'messages', 'dynamodbTable'),
    function: functionName,
    functionRole: physicalName(namePrefix, 'api-function', 'iamRole'),
    functionLogGroup: lambdaLogGroupName(functionName),
    api: apiName,
    accessLogGroup: `/aws/apigateway/${apiName}`,
    canary: (name) => physicalName(namePrefix, name, 'canary'),
  };
}
