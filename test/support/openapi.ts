import Ajv from 'ajv/dist/2020';
import { DEFAULT_ROUTE, UUID_PATTERN } from '../../contract/api';
import document from '../../contract/openapi.json';

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('uuid', UUID_PATTERN);
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
ajv.addSchema(document as Record<string, unknown>, 'openapi');

const pointerPart = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks one response against the OpenAPI document: the status must be documented for the
 * operation (`pathTemplate` DEFAULT_ROUTE for a request no path of the document matches, which
 * the document describes under `x-default-route`), and the JSON body must match its schema.
 * Returns the problems found.
 */
export function openApiProblems(
  method: string,
  pathTemplate: string,
  status: number,
  body: string,
): string[] {
  const operationPointer =
    pathTemplate === DEFAULT_ROUTE
      ? '/x-default-route'
      : `/paths/${pointerPart(pathTemplate)}/${method.toLowerCase()}`;
  const operation = ajv.getSchema(`openapi#${operationPointer}`)?.schema as
    Record<string, unknown> | undefined;
  if (operation === undefined) return [`${method} ${pathTemplate} is not in the OpenAPI document`];
  const response = (operation.responses as Record<string, unknown>)[String(status)] as
    Record<string, unknown> | undefined;
  if (response === undefined) return [`${method} ${pathTemplate} documents no ${status} response`];
  const responsePointer =
    typeof response.$ref === 'string'
      ? response.$ref.slice(1)
      : `${operationPointer}/responses/${status}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [`body is not JSON: ${body.slice(0, 200)}`];
  }
  const validate = ajv.getSchema(`openapi#${responsePointer}/content/application~1json/schema`);
  if (validate === undefined) return [`no JSON schema for ${responsePointer}`];
  return validate(parsed)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}
