/**
 * @monitored/terraform-json: the typed reader of a Terraform configuration in JSON syntax (a
 * synthesized `cdk.tf.json` or any `*.tf.json`), with no dependencies. Resources and data sources
 * by type, with their address and cdktf construct path; variables and their defaults; outputs;
 * providers and the region each block lands in; the references between blocks; and the resolver
 * that evaluates the expressions to plain values, with stand-ins for what only the cloud knows.
 */
export { isJsonObject, asList, blocks, block, strings, type Json, type JsonObject } from './json';
export {
  TerraformJsonError,
  parseTerraformJson,
  readTerraformJson,
  mergeTerraformJson,
  type TerraformJson,
  type BlocksByType,
  type VariableJson,
  type OutputJson,
} from './terraform-json';
export {
  TerraformModule,
  refersTo,
  type Block,
  type Resource,
  type DataSource,
  type Provider,
  type Variable,
  type Output,
} from './module';
export { interpolations, referencesIn, resourceReference, type Reference } from './references';
export { TerraformResolver, ResolveError, type ComputedAttribute } from './resolver';
