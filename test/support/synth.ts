import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type App, TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import {
  parseTerraformJson,
  TerraformModule,
  resourceReference,
  type TerraformJson,
  type Resource,
} from '@monitored/terraform-json';
import { stageConfigs, type Stage, type StageConfig } from '../../stacks/config';
import { MessageSystemStack } from '../../stacks/message-system-stack';
import { buildArtifacts } from '../../bundling/artifacts';
import { workerMemo } from './worker-memo';

export type Resources = Record<string, Record<string, Record<string, unknown>>>;

export interface SynthesizedJson {
  readonly locals?: Record<string, unknown>;
  readonly resource: Resources;
  readonly data?: Resources;
  readonly output?: Record<string, { value: string }>;
  readonly variable?: Record<string, Record<string, unknown>>;
  readonly provider?: { aws: Record<string, unknown>[] };
}

/**
 * A synthesized stack with the look-ups tests need, read by @monitored/terraform-json (`module`);
 * `json` is the same document, typed loosely for tests that walk it themselves.
 */
export class Synthesized {
  public readonly json: SynthesizedJson;

  constructor(public readonly module: TerraformModule) {
    this.json = module.json as unknown as SynthesizedJson;
  }

  all(type: string): Record<string, unknown>[] {
    return this.module.ofType(type).map(({ config }) => config);
  }

  /** The only resource of `type`; fails the test if there are none or several. */
  only(type: string): Record<string, unknown> {
    return this.onlyOf(type).config;
  }

  /** `${type.name.attribute}` of the only resource of `type`, for checking references. */
  ref(type: string, attribute: string): string {
    return resourceReference(type, this.onlyOf(type).name, attribute);
  }

  /**
   * The resource of `type` built at construct path `path` (`canaries/artifacts/bucket`), whose
   * logical id is that path joined by `_` plus a hash; for types a stack has several of.
   */
  at(type: string, path: string): Record<string, unknown> {
    return this.resourceAt(type, path).config;
  }

  /** `${type.name.attribute}` of the resource at `path`, for checking references. */
  refAt(type: string, path: string, attribute: string): string {
    return resourceReference(type, this.resourceAt(type, path).name, attribute);
  }

  /** `${data.type.name.attribute}` of the only data source of `type`. */
  dataRef(type: string, attribute: string): string {
    const sources = this.module.dataOfType(type);
    if (sources.length !== 1) throw new Error(`expected one data.${type}, found ${sources.length}`);
    return `\${${sources[0].address}.${attribute}}`;
  }

  /** The value of the output `name`; fails the test if there is none. */
  output(name: string): string {
    const output = this.module.output(name);
    if (output === undefined) throw new Error(`no output ${name}`);
    if (typeof output.value !== 'string') throw new Error(`output ${name} is not a string`);
    return output.value;
  }

  /** The Terraform variable `name`; fails the test if there is none. */
  variable(name: string): Record<string, unknown> {
    const variable = this.module.json.variable?.[name];
    if (variable === undefined) throw new Error(`no variable ${name}`);
    return { ...variable };
  }

  /** The stack's AWS provider blocks. */
  awsProviders(): Record<string, unknown>[] {
    return this.module.providers
      .filter((provider) => provider.name === 'aws')
      .map(({ config }) => config);
  }

  private resourceAt(type: string, path: string): Resource {
    // cdktf drops a path part that repeats its parent's id (website/bucket/bucket → website_bucket).
    const parts = path.split('/').filter((part, index, all) => part !== all[index - 1]);
    const pattern = new RegExp(`^${parts.join('_')}_[0-9A-F]{8}$`);
    const found = this.module.ofType(type).filter(({ name }) => pattern.test(name));
    if (found.length !== 1)
      throw new Error(`expected one ${type} at ${path}, found ${found.length}`);
    return found[0];
  }

  private onlyOf(type: string): Resource {
    const found = this.module.ofType(type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
  }
}

/**
 * The day the policy rules judge the test stacks by, before the deprecation warning window of the
 * function's runtime: only the tests about deprecation pick other days.
 */
export const TEST_TODAY = new Date('2026-11-28T00:00:00Z');

export const TEST_CONFIGS = stageConfigs({
  alertEmails: { dev: ['dev@example.com'], prod: ['oncall@example.com'] },
});

// Every app has an output directory, which Testing.app() would leave in the temp folder: these
// are removed after the tests of the file that made them.
const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs.splice(0)) fs.rmSync(outdir, { recursive: true, force: true });
});

/** Testing.app() with an output directory that is removed after this file's tests. */
export function testApp(): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-test-'));
  outdirs.push(outdir);
  return Testing.app({ outdir });
}

export function synthJson(stack: TerraformStack): Synthesized {
  return new Synthesized(new TerraformModule(parseTerraformJson(Testing.synth(stack))));
}

/** Synthesizes what `build` adds to an empty stack, as Testing.synthScope does. */
export function synthScope(build: (scope: Construct) => void): Synthesized {
  const stack = new TerraformStack(testApp(), 'test');
  build(stack);
  return synthJson(stack);
}

/** A stage's stack as main.ts builds it, judged on TEST_TODAY. */
export function buildStage(
  stage: Stage,
  overrides: Partial<StageConfig> = {},
  today = TEST_TODAY,
): MessageSystemStack {
  return new MessageSystemStack(testApp(), stage, {
    config: { ...TEST_CONFIGS[stage], ...overrides },
    artifacts: buildArtifacts(),
    today,
  });
}

const cache = new Map<Stage, Synthesized>();

/** A stage's stack as buildStage makes it, synthesized once per Jest worker: a copy for each file. */
export function stageJson(stage: Stage): SynthesizedJson {
  return workerMemo(
    `stage ${stage} on ${TEST_TODAY.toISOString()}`,
    () => synthJson(buildStage(stage)).json,
  );
}

/** The synthesized stack of a stage, built once per Jest worker, parsed once per test file. */
export function synthStage(stage: Stage): Synthesized {
  const cached =
    cache.get(stage) ??
    new Synthesized(new TerraformModule(stageJson(stage) as unknown as TerraformJson));
  cache.set(stage, cached);
  return cached;
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}

/** The statements of a synthesized policy document. */
export function policyStatements(policy: unknown): Statement[] {
  return (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;
}
