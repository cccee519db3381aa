import Ajv from 'ajv/dist/2020';
import { UUID_PATTERN } from '../../contract/api';
import document from '../../contract/openapi.json';

type Json = Record<string, unknown>;

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('uuid', UUID_PATTERN);
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
ajv.addSchema(document as Json, 'openapi');

function resolve(node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  return ref
    .slice(2)
    .split('/')
    .reduce<Json>((at, key) => at[key] as Json, document as unknown as Json);
}

/**
 * Checks one response of the handler against the OpenAPI document: the status must be documented
 * for the operation, and the JSON body must match its schema. Returns the problems found.
 */
export function openApiProblems(
  method: string,
  pathTemplate: string,
  status: number,
  body: string,
): string[] {
  const operation = ((document.paths as Json)[pathTemplate] as Json | undefined)?.[
    method.toLowerCase()
  ] as Json | undefined;
  if (operation === undefined) return [`${method} ${pathTemplate} is not in the OpenAPI document`];
  const response = (operation.responses as Json)[String(status)] as Json | undefined;
  if (response === undefined) return [`${method} ${pathTemplate} documents no ${status} response`];
  const schema = ((resolve(response).content as Json)['application/json'] as Json).schema as Json;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [`body is not JSON: ${body.slice(0, 200)}`];
  }
  const validate = ajv.getSchema(`openapi${String(schema.$ref)}`);
  if (validate === undefined) return [`schema ${String(schema.$ref)} not found`];
  return validate(parsed)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}
