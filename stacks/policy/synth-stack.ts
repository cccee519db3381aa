import type { Json, JsonObject, SynthResource } from './types';

/** The resources of one synthesized stack, with the look-ups rules need. */
export class SynthStack {
  public readonly resources: readonly SynthResource[];

  /** The region of each AWS provider the stack states one for: `aws` or `aws.<alias>`. */
  private readonly providerRegions = new Map<string, string>();

  constructor(terraformJson: {
    resource?: Record<string, Record<string, JsonObject>>;
    provider?: { aws?: JsonObject[] };
  }) {
    this.resources = Object.entries(terraformJson.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, config]) => ({ type, name, config })),
    );
    for (const provider of terraformJson.provider?.aws ?? []) {
      const alias = typeof provider.alias === 'string' ? `aws.${provider.alias}` : 'aws';
      if (typeof provider.region === 'string') this.providerRegions.set(alias, provider.region);
    }
  }

  /** The region `resource` is created in, when the stack states its provider's region. */
  regionOf(resource: SynthResource): string | undefined {
    const provider = resource.config.provider;
    return this.providerRegions.get(typeof provider === 'string' ? provider : 'aws');
  }

  ofType(type: string): SynthResource[] {
    return this.resources.filter((resource) => resource.type === type);
  }

  /** The resource of `type` that `value` refers to (`${type.name.attribute}`), if any. */
  referencedBy(value: Json | undefined, type: string): SynthResource | undefined {
    return this.ofType(type).find((resource) => refersTo(value, resource));
  }

  /** Resources of `type` whose attribute `attribute` refers to `target` (`${type.name.x}`). */
  referencing(type: string, attribute: string, target: SynthResource): SynthResource[] {
    return this.ofType(type).filter((resource) => refersTo(resource.config[attribute], target));
  }
}

function refersTo(value: Json | undefined, target: SynthResource): boolean {
  return typeof value === 'string' && value.includes(`${target.type}.${target.name}.`);
}
