/** The typed reader of one Terraform configuration in JSON: its blocks and how they connect. */
import { isJsonObject, type Json, type JsonObject } from './json';
import { referencesIn } from './references';
import type { OutputJson, TerraformJson, VariableJson } from './terraform-json';

/** A `resource` or a `data` block. */
export interface Block {
  readonly type: string;
  readonly name: string;
  /** `<type>.<name>`, or `data.<type>.<name>` for a data source: what Terraform's messages name. */
  readonly address: string;
  readonly config: JsonObject;
  /** The construct path cdktf records in the block's `//` metadata; undefined elsewhere. */
  readonly path?: string;
  /** The provider configuration it uses: `aws`, or `aws.<alias>` when its `provider` names one. */
  readonly provider: string;
}

export type Resource = Block;
export type DataSource = Block;

/** A `provider` block. */
export interface Provider {
  /** The provider's local name: `aws`. */
  readonly name: string;
  readonly alias?: string;
  /** What a resource's `provider` argument names it by: `aws` or `aws.<alias>`. */
  readonly key: string;
  /** Its `region` (a variable's default when the region is `${var.<name>}`), if stated. */
  readonly region?: string;
  readonly config: JsonObject;
}

export interface Variable extends VariableJson {
  readonly name: string;
}

export interface Output extends OutputJson {
  readonly name: string;
}

/** `aws` for `aws_s3_bucket`: Terraform's default provider for a type is its first word. */
function defaultProvider(type: string): string {
  return type.split('_')[0];
}

function blocksOf(byType: TerraformJson['resource'], prefix: '' | 'data.'): Block[] {
  return Object.entries(byType ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, config]): Block => {
      const comment = config['//'];
      const metadata = isJsonObject(comment) ? comment.metadata : undefined;
      const path = isJsonObject(metadata) ? metadata.path : undefined;
      return {
        type,
        name,
        address: `${prefix}${type}.${name}`,
        config,
        ...(typeof path === 'string' && { path }),
        provider: typeof config.provider === 'string' ? config.provider : defaultProvider(type),
      };
    }),
  );
}

/**
 * One Terraform configuration (a `cdk.tf.json`, or any module in `*.tf.json`): resources and data
 * sources by type, variables, outputs, providers with their regions, and the references between
 * blocks.
 */
export class TerraformModule {
  public readonly resources: readonly Resource[];
  public readonly dataSources: readonly DataSource[];
  public readonly providers: readonly Provider[];
  public readonly variables: readonly Variable[];
  public readonly outputs: readonly Output[];
  private readonly byAddress: ReadonlyMap<string, Block>;

  constructor(public readonly json: TerraformJson) {
    this.resources = blocksOf(json.resource, '');
    this.dataSources = blocksOf(json.data, 'data.');
    this.byAddress = new Map(
      [...this.resources, ...this.dataSources].map((block) => [block.address, block]),
    );
    this.variables = Object.entries(json.variable ?? {}).map(([name, variable]) => ({
      name,
      ...variable,
    }));
    this.outputs = Object.entries(json.output ?? {}).map(([name, output]) => ({ name, ...output }));
    this.providers = Object.entries(json.provider ?? {}).flatMap(([name, configs]) =>
      (Array.isArray(configs) ? configs : [configs]).map((config: JsonObject): Provider => {
        const alias = typeof config.alias === 'string' ? config.alias : undefined;
        const region = this.plainString(config.region);
        return {
          name,
          ...(alias !== undefined && { alias }),
          key: alias === undefined ? name : `${name}.${alias}`,
          ...(region !== undefined && { region }),
          config,
        };
      }),
    );
  }

  /** The resources of `type`. */
  ofType(type: string): Resource[] {
    return this.resources.filter((resource) => resource.type === type);
  }

  /** The data sources of `type` (`aws_caller_identity`, without `data.`). */
  dataOfType(type: string): DataSource[] {
    return this.dataSources.filter((source) => source.type === type);
  }

  /** The block at `address` (`aws_s3_bucket.site`, `data.aws_region.current`), if any. */
  block(address: string): Block | undefined {
    return this.byAddress.get(address);
  }

  /** The resources cdktf built at construct path `path` (the `//` metadata's path). */
  atPath(path: string): Resource[] {
    return this.resources.filter((resource) => resource.path === path);
  }

  variable(name: string): Variable | undefined {
    return this.variables.find((variable) => variable.name === name);
  }

  output(name: string): Output | undefined {
    return this.outputs.find((output) => output.name === name);
  }

  /** The provider configuration `block` uses, if the module configures it. */
  providerOf(block: Block): Provider | undefined {
    return this.providers.find((provider) => provider.key === block.provider);
  }

  /** The region `block` is created in, when the module states its provider's region. */
  regionOf(block: Block): string | undefined {
    return this.providerOf(block)?.region;
  }

  /** The resource of `type` that `value` refers to (`${type.name.attribute}`), if any. */
  referencedBy(value: Json | undefined, type: string): Resource | undefined {
    return this.referencedResources(value).find((resource) => resource.type === type);
  }

  /** The resources `value` refers to, in the order it names them. */
  referencedResources(value: Json | undefined): Resource[] {
    return referencesIn(value).flatMap((reference) => {
      if (reference.kind !== 'resource') return [];
      const resource = this.byAddress.get(`${reference.type}.${reference.name}`);
      return resource === undefined ? [] : [resource];
    });
  }

  /** Resources of `type` whose argument `attribute` refers to `target`. */
  referencing(type: string, attribute: string, target: Block): Resource[] {
    return this.ofType(type).filter((resource) => refersTo(resource.config[attribute], target));
  }

  /** A string as it stands, or a variable's string default when it is only `${var.<name>}`. */
  private plainString(value: Json | undefined): string | undefined {
    if (typeof value !== 'string') return undefined;
    const variable = /^\$\{var\.([A-Za-z_][\w-]*)\}$/.exec(value);
    if (variable === null) return value;
    const fallback = this.json.variable?.[variable[1]]?.default;
    return typeof fallback === 'string' ? fallback : value;
  }
}

/** Whether `value` refers to `target` anywhere in it. */
export function refersTo(value: Json | undefined, target: Block): boolean {
  return referencesIn(value).some(
    (reference) =>
      (reference.kind === 'resource' || reference.kind === 'data') &&
      `${reference.kind === 'data' ? 'data.' : ''}${reference.type}.${reference.name}` ===
        target.address,
  );
}
