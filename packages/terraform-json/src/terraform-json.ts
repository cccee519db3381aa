/**
 * A Terraform configuration in JSON syntax (`*.tf.json`), as `cdktf synth` writes `cdk.tf.json`
 * and as anyone may write by hand: https://developer.hashicorp.com/terraform/language/syntax/json
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isJsonObject, type Json, type JsonObject } from './json';

/** `variable "<name>"`: a reference `var.<name>` resolves to `default` when no value is given. */
export interface VariableJson {
  readonly default?: Json;
  readonly type?: string;
  readonly description?: string;
  readonly sensitive?: boolean;
}

/** `output "<name>"`. */
export interface OutputJson {
  readonly value: Json;
  readonly description?: string;
  readonly sensitive?: boolean;
}

/** Blocks by type, then by name: `resource.<type>.<name>` and `data.<type>.<name>`. */
export type BlocksByType = Readonly<Record<string, Readonly<Record<string, JsonObject>>>>;

/** The top-level blocks of a `*.tf.json` file this reader knows. */
export interface TerraformJson {
  /** A comment, which Terraform ignores; cdktf writes its metadata here. */
  readonly '//'?: Json;
  readonly terraform?: JsonObject;
  /** Provider configurations by provider name: one object, or a list (one per alias). */
  readonly provider?: Readonly<Record<string, JsonObject | readonly JsonObject[]>>;
  readonly variable?: Readonly<Record<string, VariableJson>>;
  readonly locals?: Readonly<Record<string, Json>>;
  readonly resource?: BlocksByType;
  readonly data?: BlocksByType;
  readonly output?: Readonly<Record<string, OutputJson>>;
}

/** A file that is not Terraform JSON, or a configuration Terraform would refuse to load. */
export class TerraformJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerraformJsonError';
  }
}

/** Parses the text of one `*.tf.json` file; `source` names it in errors. */
export function parseTerraformJson(text: string, source = 'the Terraform JSON'): TerraformJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error: unknown) {
    throw new TerraformJsonError(
      `${source} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isJsonObject(parsed as Json)) {
    throw new TerraformJsonError(`${source} is not a JSON object of Terraform blocks`);
  }
  const document = parsed as JsonObject;
  for (const key of ['resource', 'data', 'variable', 'output', 'provider', 'locals'] as const) {
    const value = document[key];
    if (value !== undefined && !isJsonObject(value)) {
      throw new TerraformJsonError(`${source}: "${key}" is not an object`);
    }
  }
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries((document[kind] ?? {}) as JsonObject)) {
      if (!isJsonObject(byName) || !Object.values(byName).every(isJsonObject)) {
        throw new TerraformJsonError(
          `${source}: ${kind}.${type} is not an object of ${kind === 'data' ? 'data sources' : 'resources'} by name`,
        );
      }
    }
  }
  return document as TerraformJson;
}

/**
 * Reads a `*.tf.json` file, or every `*.tf.json` file of a directory as one module (as Terraform
 * loads a directory: one configuration from all its files). A block declared in two files is an
 * error, as Terraform's "Duplicate resource configuration" is.
 */
export function readTerraformJson(fileOrDirectory: string): TerraformJson {
  if (!fs.statSync(fileOrDirectory).isDirectory()) {
    return parseTerraformJson(fs.readFileSync(fileOrDirectory, 'utf8'), fileOrDirectory);
  }
  const files = fs
    .readdirSync(fileOrDirectory)
    .filter((name) => name.endsWith('.tf.json'))
    .sort()
    .map((name) => path.join(fileOrDirectory, name));
  if (files.length === 0) throw new TerraformJsonError(`${fileOrDirectory} has no *.tf.json file`);
  return mergeTerraformJson(
    files.map((file) => ({ file, json: parseTerraformJson(fs.readFileSync(file, 'utf8'), file) })),
  );
}

/** One module from several files' blocks; a block named twice is an error naming both files. */
export function mergeTerraformJson(
  files: readonly { readonly file: string; readonly json: TerraformJson }[],
): TerraformJson {
  const merged: Record<string, Record<string, unknown>> = {};
  const declaredIn = new Map<string, string>();
  const declare = (address: string, file: string) => {
    const earlier = declaredIn.get(address);
    if (earlier !== undefined)
      throw new TerraformJsonError(`${address} is declared in both ${earlier} and ${file}`);
    declaredIn.set(address, file);
  };
  for (const { file, json } of files) {
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries(json[kind] ?? {})) {
        const target = (merged[kind] ??= {}) as Record<string, Record<string, JsonObject>>;
        for (const [name, config] of Object.entries(byName)) {
          declare(`${kind === 'data' ? 'data.' : ''}${type}.${name}`, file);
          (target[type] ??= {})[name] = config;
        }
      }
    }
    for (const kind of ['variable', 'output', 'locals'] as const) {
      for (const [name, value] of Object.entries(json[kind] ?? {})) {
        declare(`${kind === 'locals' ? 'local' : kind}.${name}`, file);
        (merged[kind] ??= {})[name] = value;
      }
    }
    for (const [name, config] of Object.entries(json.provider ?? {})) {
      const earlier = merged.provider?.[name] as JsonObject | JsonObject[] | undefined;
      (merged.provider ??= {})[name] = [
        ...(earlier === undefined ? [] : Array.isArray(earlier) ? earlier : [earlier]),
        ...(Array.isArray(config) ? config : [config]),
      ];
    }
    if (json.terraform !== undefined) merged.terraform = { ...merged.terraform, ...json.terraform };
  }
  return merged as TerraformJson;
}
