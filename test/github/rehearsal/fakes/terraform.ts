/**
 * A fake Terraform, which the real `cdktf deploy` drives as it drives Terraform (cdktf 0.21's
 * TerraformCli: `version -json`, `-v`, `init`, `providers lock -platform=linux_amd64` when there
 * is no lock file, `apply -auto-approve`, `output -json`). It reads the stack's `cdk.tf.json`
 * as Terraform would and answers from the fake world:
 *
 * - the backend: S3 (`bucket`, `key`, `region`, `use_lockfile`) or local (`path`);
 *   `init` fails as Terraform does on a missing bucket or missing credentials;
 * - `apply` takes S3-native lock `<key>.tflock` (refusing, with Terraform's "Error acquiring the
 *   state lock", while another holds it), creates the stack's resources in order, registers its
 *   CloudWatch alarms with their rule and the world's time (state INSUFFICIENT_DATA when new;
 *   "When you update an existing alarm, its state is left unchanged": PutMetricAlarm; from then
 *   on fakes/cloudwatch.ts evaluates it), writes the state, and releases the lock. It writes
 *   the state after each resource, as Terraform's intermediate snapshots (every 20 seconds of an
 *   apply from 1.5, hashicorp/terraform#32680) would at best, so that a run killed halfway leaves
 *   what a real one leaves at best: the resources so far, and the lock;
 * - `output -json` answers the outputs from the state, in Terraform's format
 *   (`{ name: { sensitive, type, value } }`), which cdktf turns into the outputs file.
 *
 * Output values come from the scenario (the URLs the smoke gate opens) or are made up from the
 * resource a value refers to. Resources are not otherwise modelled; IAM is judged elsewhere.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliResult } from './aws';
import { metricAlarmDefinition } from '@monitored/cloudwatch-local';
import type { Json } from '@monitored/terraform-json';
import type { World } from './world';

export interface StackJson {
  terraform?: {
    backend?: {
      s3?: { bucket: string; key: string; region: string; use_lockfile?: boolean };
      local?: { path: string };
    };
    required_version?: string;
    required_providers?: Record<string, { source: string; version: string }>;
  };
  provider?: { aws?: { region?: string; alias?: string }[] };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
  '//'?: { metadata?: { stackName?: string } };
}

interface StateResource {
  mode: 'managed';
  type: string;
  name: string;
  provider: string;
  instances: { schema_version: 0; attributes: Record<string, unknown> }[];
}

export interface TerraformState {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, { value: string; type: 'string'; sensitive?: boolean }>;
  resources: StateResource[];
}

export interface LockInfo {
  ID: string;
  Operation: string;
  Info: string;
  Who: string;
  Version: string;
  Created: string;
  Path: string;
}

type Backend =
  | { type: 's3'; bucket: string; key: string; region: string; lockfile: boolean }
  | { type: 'local'; file: string };

const result = (code: number, stdout: string, stderr = ''): CliResult => ({ code, stdout, stderr });

/** Terraform's diagnostic box. */
function diagnostic(summary: string, detail = ''): string {
  const lines = [`Error: ${summary}`, '', ...detail.split('\n')].map((line) =>
    `│ ${line}`.trimEnd(),
  );
  return `╷\n${lines.join('\n')}\n╵\n`;
}

/** `>= 1.11.0`-style constraints, the only kind the stacks write. */
function satisfies(version: string, constraint: string | undefined): boolean {
  if (constraint === undefined) return true;
  const match = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(constraint.trim());
  if (match === null) return true;
  const have = version.split('.').map(Number);
  const want = match.slice(1).map(Number);
  for (let at = 0; at < 3; at += 1) if (have[at] !== want[at]) return have[at] > want[at];
  return true;
}

/**
 * The resources in an order Terraform could create them: each after those its configuration
 * refers to (`${type.name.attribute}`, `depends_on`), as Terraform's dependency graph orders
 * them; independent ones in the file's order (Terraform would create them in parallel).
 */
export function applyOrder(
  stack: StackJson,
): { type: string; name: string; config: Record<string, unknown> }[] {
  const all = Object.entries(stack.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, config]) => ({
      type,
      name,
      config,
      address: `${type}.${name}`,
    })),
  );
  const addresses = new Set(all.map((r) => r.address));
  const dependencies = new Map(
    all.map((resource) => {
      const text = JSON.stringify(resource.config);
      const referenced = [...text.matchAll(/\$\{(aws_\w+)\.([\w-]+)[.}]/g)].map(
        ([, t, n]) => `${t}.${n}`,
      );
      const explicit = ((resource.config.depends_on as string[] | undefined) ?? []).filter(
        (d) => !d.startsWith('data.'),
      );
      return [
        resource.address,
        [...referenced, ...explicit].filter((d) => addresses.has(d) && d !== resource.address),
      ];
    }),
  );
  const ordered: typeof all = [];
  const done = new Set<string>();
  const visit = (resource: (typeof all)[number], path: Set<string>) => {
    if (done.has(resource.address) || path.has(resource.address)) return;
    path.add(resource.address);
    for (const dependency of dependencies.get(resource.address) ?? []) {
      visit(all.find((r) => r.address === dependency) as (typeof all)[number], path);
    }
    done.add(resource.address);
    ordered.push(resource);
  };
  for (const resource of all) visit(resource, new Set());
  return ordered;
}

export class FakeTerraform {
  constructor(
    private readonly world: World,
    private readonly version: string,
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  private stack(): StackJson {
    const file = path.join(this.cwd, 'cdk.tf.json');
    if (!fs.existsSync(file)) {
      throw new Error(`no cdk.tf.json in ${this.cwd}: Terraform finds no configuration here`);
    }
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StackJson;
  }

  private stackName(stack: StackJson): string {
    return stack['//']?.metadata?.stackName ?? path.basename(this.cwd);
  }

  private backend(stack: StackJson): Backend {
    const s3 = stack.terraform?.backend?.s3;
    if (s3 !== undefined) {
      return {
        type: 's3',
        bucket: s3.bucket,
        key: s3.key,
        region: s3.region,
        lockfile: s3.use_lockfile === true,
      };
    }
    const local = stack.terraform?.backend?.local?.path ?? 'terraform.tfstate';
    return { type: 'local', file: path.resolve(this.cwd, local) };
  }

  private hasCredentials(): boolean {
    return !('error' in this.world.session(this.env));
  }

  private readState(backend: Backend): TerraformState | undefined {
    const text =
      backend.type === 's3'
        ? this.world.getObject(backend.bucket, backend.key)
        : fs.existsSync(backend.file)
          ? fs.readFileSync(backend.file, 'utf8')
          : undefined;
    return text === undefined ? undefined : (JSON.parse(text) as TerraformState);
  }

  private writeState(backend: Backend, state: TerraformState): void {
    const text = `${JSON.stringify(state, null, 2)}\n`;
    if (backend.type === 's3') this.world.putObject(backend.bucket, backend.key, text);
    else fs.writeFileSync(backend.file, text);
  }

  run(argv: readonly string[]): Promise<CliResult> | CliResult {
    const [command, ...args] = argv;
    switch (command) {
      case 'version':
        return args.includes('-json')
          ? result(
              0,
              `${JSON.stringify({ terraform_version: this.version, platform: 'linux_amd64', provider_selections: {}, terraform_outdated: false }, null, 2)}\n`,
            )
          : result(0, `Terraform v${this.version}\non linux_amd64\n`);
      case '-v':
      case '-version':
      case '--version':
        return result(0, `Terraform v${this.version}\non linux_amd64\n`);
      case 'init':
        return this.init();
      case 'providers':
        return this.providersLock(args);
      case 'apply':
        return this.apply(args);
      case 'output':
        return this.output(args);
      case 'force-unlock':
        return this.forceUnlock(args);
      default:
        return result(
          1,
          '',
          `Terraform has no command named "${command}".\n\nTo see all of Terraform's top-level commands, run:\n  terraform -help\n`,
        );
    }
  }

  private init(): CliResult {
    const stack = this.stack();
    if (!satisfies(this.version, stack.terraform?.required_version)) {
      return result(
        1,
        '',
        diagnostic(
          'Unsupported Terraform Core version',
          `This configuration does not support Terraform version ${this.version}. It requires ${stack.terraform?.required_version}.`,
        ),
      );
    }
    const backend = this.backend(stack);
    let out = 'Initializing the backend...\n';
    if (backend.type === 's3') {
      if (!this.hasCredentials()) {
        return result(
          1,
          out,
          diagnostic(
            'No valid credential sources found',
            'Please see https://registry.terraform.io/providers/hashicorp/aws/latest/docs\nfor more information about providing credentials.',
          ),
        );
      }
      if (!this.world.hasBucket(backend.bucket)) {
        return result(
          1,
          out,
          diagnostic(
            `Failed to get existing workspaces: S3 bucket "${backend.bucket}" does not exist.`,
            'The referenced S3 bucket must have been previously created. If the S3 bucket\nwas created within the last minute, please wait for a minute or two and try\nagain.',
          ),
        );
      }
      out +=
        '\nSuccessfully configured the backend "s3"! Terraform will automatically\nuse this backend unless the backend configuration changes.\n';
    }
    fs.mkdirSync(path.join(this.cwd, '.terraform'), { recursive: true });
    fs.writeFileSync(
      path.join(this.cwd, '.terraform', 'terraform.tfstate'),
      JSON.stringify({
        version: 3,
        backend: { type: backend.type, config: stack.terraform?.backend },
      }),
    );
    out += '\nInitializing provider plugins...\n\nTerraform has been successfully initialized!\n';
    return result(0, out);
  }

  private initialized(stack: StackJson): boolean {
    const file = path.join(this.cwd, '.terraform', 'terraform.tfstate');
    if (!fs.existsSync(file)) return false;
    const recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as { backend: { config: unknown } };
    return JSON.stringify(recorded.backend.config) === JSON.stringify(stack.terraform?.backend);
  }

  private providersLock(args: readonly string[]): CliResult {
    if (args[0] !== 'lock')
      return result(1, '', `Terraform has no command named "providers ${args[0]}" here.\n`);
    const providers = this.stack().terraform?.required_providers ?? {};
    const body = Object.values(providers)
      .map(
        (p) =>
          `provider "registry.terraform.io/hashicorp/${p.source}" {\n  version     = "${p.version}"\n  constraints = "${p.version}"\n  hashes = [\n    "h1:rehearsal-fake",\n  ]\n}\n`,
      )
      .join('\n');
    fs.writeFileSync(
      path.join(this.cwd, '.terraform.lock.hcl'),
      `# This file is maintained automatically by "terraform init".\n\n${body}`,
    );
    return result(0, '\nSuccess! Terraform has updated the lock file.\n');
  }

  private lockFor(backend: Backend): {
    read(): LockInfo | undefined;
    take(info: LockInfo): void;
    release(): void;
  } {
    if (backend.type !== 's3' || !backend.lockfile) {
      return { read: () => undefined, take: () => undefined, release: () => undefined };
    }
    const key = `${backend.key}.tflock`;
    return {
      read: () => {
        const body = this.world.getObject(backend.bucket, key);
        return body === undefined ? undefined : (JSON.parse(body) as LockInfo);
      },
      take: (info) => this.world.putObject(backend.bucket, key, JSON.stringify(info)),
      release: () => this.world.deleteObject(backend.bucket, key),
    };
  }

  private regionOf(stack: StackJson, config: Record<string, unknown>): string {
    const providers = stack.provider?.aws ?? [];
    const alias = typeof config.provider === 'string' ? config.provider.split('.')[1] : undefined;
    const provider =
      providers.find((p) => p.alias === alias) ?? providers.find((p) => p.alias === undefined);
    return provider?.region ?? this.env.AWS_REGION ?? 'us-east-1';
  }

  /**
   * PutMetricAlarm / PutCompositeAlarm: a new alarm starts INSUFFICIENT_DATA and is evaluated from
   * the next minute; an updated one keeps its state and history, with its new rule.
   */
  private registerAlarm(region: string, type: string, config: Record<string, unknown>): void {
    const name = config.alarm_name;
    if (typeof name !== 'string') return;
    const data = this.world.cloudwatch(region);
    const existing = data.alarms[name];
    const namespace = config.namespace;
    // The rule of an alarm the fake evaluates from its data (cloudwatch.ts), as created: its
    // attributes are literals; an alarm on AWS's metrics may refer to resources, and is not read.
    const rule =
      type === 'aws_cloudwatch_metric_alarm' &&
      typeof namespace === 'string' &&
      !namespace.startsWith('AWS/')
        ? metricAlarmDefinition((attribute) => config[attribute] as Json | undefined, region)
        : undefined;
    data.alarms[name] = {
      name,
      kind: type === 'aws_cloudwatch_composite_alarm' ? 'composite' : 'metric',
      createdAt: existing?.createdAt ?? this.world.now(),
      state: existing?.state ?? 'INSUFFICIENT_DATA',
      reason: existing?.reason ?? 'Unchecked: Initial alarm creation',
      ...(rule !== undefined && { rule }),
    };
    this.world.saveCloudwatch(region, data);
  }

  private attributes(
    type: string,
    name: string,
    config: Record<string, unknown>,
  ): Record<string, unknown> {
    const literal = Object.fromEntries(
      Object.entries(config).filter(
        ([, value]) => typeof value !== 'string' || !value.includes('${'),
      ),
    );
    return { ...literal, id: `${name}-${type.replace(/^aws_/, '')}` };
  }

  /** An output's value: the scenario's, else the `${type.name.attr}` references filled in. */
  private outputValue(
    stackName: string,
    name: string,
    template: unknown,
    resources: StateResource[],
  ): string | undefined {
    const given = this.world.scenario.outputs[stackName]?.[name];
    if (given !== undefined) return given;
    const text = String(template);
    let complete = true;
    const value = text.replace(
      /\$\{([\w-]+)\.([\w-]+)\.([\w-]+)\}/g,
      (_all, type: string, resource: string, attr: string) => {
        const found = resources.find((r) => r.type === type && r.name === resource);
        if (found === undefined) {
          complete = false;
          return '';
        }
        const attributes = found.instances[0].attributes;
        return typeof attributes[attr] === 'string'
          ? (attributes[attr] as string)
          : `fake-${resource}-${attr}`;
      },
    );
    return complete ? value : undefined;
  }

  private async apply(args: readonly string[]): Promise<CliResult> {
    const stack = this.stack();
    const stackName = this.stackName(stack);
    const backend = this.backend(stack);
    if (!this.initialized(stack)) {
      return result(
        1,
        '',
        diagnostic(
          'Backend initialization required, please run "terraform init"',
          'Reason: Initial configuration of the requested backend.',
        ),
      );
    }
    if (!args.includes('-auto-approve')) {
      return result(
        1,
        '',
        diagnostic(
          'No approval',
          'The fake Terraform asks for no confirmation: run apply with -auto-approve, as `cdktf deploy --auto-approve` does.',
        ),
      );
    }
    if (!this.hasCredentials()) {
      return result(1, '', diagnostic('No valid credential sources found'));
    }
    const lock = this.lockFor(backend);
    const held = lock.read();
    if (held !== undefined) {
      return result(
        1,
        '',
        diagnostic(
          'Error acquiring the state lock',
          [
            'Error message: operation error S3: PutObject, https response error StatusCode: 412, api error PreconditionFailed: At least one of the pre-conditions you specified did not hold',
            'Lock Info:',
            `  ID:        ${held.ID}`,
            `  Path:      ${held.Path}`,
            `  Operation: ${held.Operation}`,
            `  Who:       ${held.Who}`,
            `  Version:   ${held.Version}`,
            `  Created:   ${held.Created}`,
            `  Info:      ${held.Info}`,
            '',
            'Terraform acquires a state lock to protect the state from being written',
            'by multiple users at the same time. Please resolve the issue above and try',
            'again. For most commands, you can disable locking with the "-lock=false"',
            'flag, but this is not recommended.',
          ].join('\n'),
        ),
      );
    }
    const info: LockInfo = {
      ID: randomUUID(),
      Operation: 'OperationTypeApply',
      Info: '',
      Who: `runner@${this.env.RUNNER_NAME ?? 'fake-runner'}`,
      Version: this.version,
      Created: new Date().toISOString(),
      Path: backend.type === 's3' ? `${backend.bucket}/${backend.key}` : backend.file,
    };
    lock.take(info);
    const previous = this.readState(backend);
    const state: TerraformState = previous ?? {
      version: 4,
      terraform_version: this.version,
      serial: 0,
      lineage: randomUUID(),
      outputs: {},
      resources: [],
    };
    let out = '';
    let added = 0;
    let changed = 0;
    const fault = this.world.scenario.applyFaults.find((f) => f.stack === stackName);
    for (const { type, name, config } of applyOrder(stack)) {
      {
        const address = `${type}.${name}`;
        if (fault !== undefined && fault.failAtType === type) {
          if (fault.kind === 'hang') {
            fs.writeFileSync(this.world.file(`hung-${stackName}`), address);
            out += `${address}: Creating...\n`;
            process.stdout.write(out);
            // Held until the runner is killed, as a run lost mid-apply holds it.
            await new Promise<never>(() => setInterval(() => undefined, 60_000));
          }
          lock.release();
          return result(
            1,
            `${out}${address}: Creating...\n`,
            diagnostic(
              `creating ${address}: ${fault.error ?? 'failed'}`,
              `  with ${address},\n  on cdk.tf.json line 1, in resource.${type}.${name}:`,
            ),
          );
        }
        const existing = state.resources.find((r) => r.type === type && r.name === name);
        const attributes = this.attributes(type, name, config);
        if (existing === undefined) {
          out += `${address}: Creating...\n${address}: Creation complete after 0s [id=${String(attributes.id)}]\n`;
          state.resources.push({
            mode: 'managed',
            type,
            name,
            provider: 'provider["registry.terraform.io/hashicorp/aws"]',
            instances: [{ schema_version: 0, attributes }],
          });
          added += 1;
        } else if (
          JSON.stringify(existing.instances[0].attributes) !== JSON.stringify(attributes)
        ) {
          out += `${address}: Modifying... [id=${String(attributes.id)}]\n${address}: Modifications complete after 0s\n`;
          existing.instances[0].attributes = attributes;
          changed += 1;
        }
        if (type === 'aws_cloudwatch_metric_alarm' || type === 'aws_cloudwatch_composite_alarm') {
          this.registerAlarm(this.regionOf(stack, config), type, config);
        }
        state.serial += 1;
        this.writeState(backend, state);
      }
    }
    state.outputs = {};
    for (const [name, output] of Object.entries(stack.output ?? {})) {
      const value = this.outputValue(stackName, name, output.value, state.resources);
      if (value !== undefined)
        state.outputs[name] = {
          value,
          type: 'string',
          ...(output.sensitive ? { sensitive: true } : {}),
        };
    }
    state.serial += 1;
    this.writeState(backend, state);
    lock.release();
    out += `\nApply complete! Resources: ${added} added, ${changed} changed, 0 destroyed.\n\nOutputs:\n\n`;
    out += Object.entries(state.outputs)
      .map(([name, o]) => `${name} = "${o.sensitive ? '<sensitive>' : o.value}"\n`)
      .join('');
    return result(0, out);
  }

  private output(args: readonly string[]): CliResult {
    if (!args.includes('-json'))
      return result(1, '', 'The fake Terraform answers `output -json` only.\n');
    const stack = this.stack();
    if (this.stack().terraform?.backend?.s3 !== undefined && !this.hasCredentials()) {
      return result(1, '', diagnostic('No valid credential sources found'));
    }
    const state = this.readState(this.backend(stack));
    // `terraform output -json` always says `sensitive` (the state records it only when true);
    // cdktf tells an output from a nested group by it.
    const outputs = Object.fromEntries(
      Object.entries(state?.outputs ?? {}).map(([name, output]) => [
        name,
        { sensitive: output.sensitive === true, type: output.type, value: output.value },
      ]),
    );
    return result(0, `${JSON.stringify(outputs, null, 2)}\n`);
  }

  private forceUnlock(args: readonly string[]): CliResult {
    const id = args.filter((arg) => !arg.startsWith('-'))[0];
    if (id === undefined) return result(1, '', 'Expected a single argument: LOCK_ID\n');
    if (!args.includes('-force')) {
      return result(
        1,
        '',
        'The fake Terraform cannot ask "Do you really want to force-unlock?": pass -force.\n',
      );
    }
    const lock = this.lockFor(this.backend(this.stack()));
    const held = lock.read();
    if (held === undefined)
      return result(1, '', diagnostic('Failed to unlock state: the state is not locked'));
    if (held.ID !== id)
      return result(
        1,
        '',
        diagnostic(
          `Failed to unlock state: lock ID "${id}" does not match existing lock ID "${held.ID}"`,
        ),
      );
    lock.release();
    return result(0, 'Terraform state has been successfully unlocked!\n');
  }
}
