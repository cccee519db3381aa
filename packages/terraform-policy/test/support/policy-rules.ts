import * as fs from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { TerraformModule, type JsonObject } from '@monitored/terraform-json';
import type { PolicyRule, RuleContext } from '../../src/types';

/** Terraform JSON's `resource` block: type → name → attributes. */
export type Resources = Record<string, Record<string, JsonObject>>;

/** Writes a zip of `entries` (name → text), as a FileAsset's source would be. */
export function writeZipFile(file: string, entries: Readonly<Record<string, string>>): void {
  fs.writeFileSync(
    file,
    zipSync(
      Object.fromEntries(
        Object.entries(entries).map(([name, text]) => [name, new Uint8Array(Buffer.from(text))]),
      ),
    ),
  );
}

/** The zip reader the app gives the checks: a real one, here fflate's. */
export function readZipFile(file: string): ReadonlyMap<string, Buffer> {
  return new Map(
    Object.entries(unzipSync(fs.readFileSync(file))).map(([name, data]) => [
      name,
      Buffer.from(data),
    ]),
  );
}

/**
 * The context the rule tests judge by: the day before the warning window of the runtimes they
 * use, a real zip reader, and an app's way past a deprecated runtime (a variable, as this
 * repository's app names it) to show that the refusal names what the app passes.
 */
export const TEST_CONTEXT: RuleContext = {
  today: new Date('2026-11-28T00:00:00Z'),
  assetSources: new Map(),
  readZip: readZipFile,
  runtimeOverride: {
    name: 'ACCEPT_DEPRECATED_RUNTIMES',
    example: (runtime) => `ACCEPT_DEPRECATED_RUNTIMES=${runtime} npx cdktf destroy <stack>`,
  },
};

/** Runs `rule` over every resource of its types in `resources`; returns the problems found. */
export function problemsOf(
  rule: PolicyRule,
  resources: Resources,
  context: RuleContext = TEST_CONTEXT,
  providers: JsonObject[] = [],
): string[] {
  const stack = new TerraformModule({ resource: resources, provider: { aws: providers } });
  return stack.resources
    .filter((resource) => rule.resourceTypes.includes(resource.type))
    .map((resource) => rule.check(resource, stack, context))
    .filter((problem): problem is string => problem !== undefined);
}

/** A policy document as Terraform JSON holds it: a JSON string. */
export const policyJson = (statements: unknown[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
