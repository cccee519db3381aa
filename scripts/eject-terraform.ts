/**
 * `npm run eject-terraform -- <stack> <folder> [--from DIR]`: writes a synthesized stack as a plain
 * Terraform folder that needs neither cdktf nor cdktf.out: `main.tf.json` (the very JSON cdktf
 * synthesized, which Terraform reads as it is: https://developer.hashicorp.com/terraform/language/syntax/json),
 * its `assets/` beside it, and the project's `.terraform.lock.hcl` when there is one. The backend
 * stays the stack's: an S3 backend is kept as it is (same bucket, key and lock file); a local
 * backend's path, which cdktf writes relative to cdktf.out/stacks/<stack>, is rewritten relative
 * to the folder, so it names the same state file. Resource addresses do not change, so the state
 * matches: the first plan in the folder should show no changes.
 *
 * `cdktf synth --hcl` is not this path: cdktf 0.21 writes HCL that Terraform cannot parse (see the
 * README, "Moving on from cdktf"). Exits 1 when the stack was not synthesized or the folder is not
 * empty, 2 on a command line it cannot take.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  isJsonObject,
  parseTerraformJson,
  TerraformJsonError,
  type TerraformJson,
} from '@monitored/terraform-json';
import { parseCommandLine, readCommandLine, UsageError } from './usage';

export const USAGE =
  'Usage: npm run eject-terraform -- <stack> <folder> [--from DIR]   (DIR: the synth output, default cdktf.out)';

const PROJECT_DIRECTORY = path.resolve(__dirname, '..');

/** The file Terraform reads in the folder. */
export const CONFIGURATION_FILE = 'main.tf.json';

/** The provider lock file Terraform reads beside the configuration. */
const LOCK_FILE = '.terraform.lock.hcl';

/**
 * The stack's configuration with its local backend's path made relative to `folder` instead of
 * `stackDirectory`; anything else unchanged.
 */
function ejectedConfiguration(
  configuration: TerraformJson,
  stackDirectory: string,
  folder: string,
): TerraformJson {
  const backend = configuration.terraform?.backend;
  const local = isJsonObject(backend) ? backend.local : undefined;
  if (!isJsonObject(local) || typeof local.path !== 'string') return configuration;
  const statePath = path.resolve(stackDirectory, local.path);
  return {
    ...configuration,
    terraform: {
      ...configuration.terraform,
      backend: { local: { ...local, path: path.relative(folder, statePath) } },
    },
  };
}

/** Writes the plain Terraform folder of `stack` from the synth output `from`; returns what it wrote. */
function ejectStack(stack: string, from: string, folder: string): string[] {
  const stackDirectory = path.join(from, 'stacks', stack);
  const synthesized = path.join(stackDirectory, 'cdk.tf.json');
  if (!fs.existsSync(synthesized)) {
    throw new EjectError(
      `no synthesized stack ${stack} at ${synthesized}: run npm run synth first (the stacks: ${listStacks(from)})`,
    );
  }
  if (fs.existsSync(folder) && fs.readdirSync(folder).length > 0) {
    throw new EjectError(`${folder} is not empty: eject into a new folder`);
  }
  let configuration: TerraformJson;
  try {
    configuration = parseTerraformJson(fs.readFileSync(synthesized, 'utf8'), synthesized);
  } catch (error: unknown) {
    if (error instanceof TerraformJsonError) throw new EjectError(error.message);
    throw error;
  }
  fs.mkdirSync(folder, { recursive: true });
  const ejected = ejectedConfiguration(configuration, stackDirectory, path.resolve(folder));
  fs.writeFileSync(path.join(folder, CONFIGURATION_FILE), `${JSON.stringify(ejected, null, 2)}\n`);
  const written = [CONFIGURATION_FILE];
  const assets = path.join(stackDirectory, 'assets');
  if (fs.existsSync(assets)) {
    fs.cpSync(assets, path.join(folder, 'assets'), { recursive: true });
    written.push('assets/');
  }
  const lock = path.join(PROJECT_DIRECTORY, LOCK_FILE);
  if (fs.existsSync(lock)) {
    fs.copyFileSync(lock, path.join(folder, LOCK_FILE));
    written.push(LOCK_FILE);
  }
  return written;
}

/** A reason the eject cannot be done, said in one line. */
export class EjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EjectError';
  }
}

function listStacks(from: string): string {
  const stacks = path.join(from, 'stacks');
  return fs.existsSync(stacks) ? fs.readdirSync(stacks).join(', ') || 'none' : 'none';
}

function readArguments(args: string[]): { stack: string; folder: string; from: string } | 'help' {
  const { values, positionals } = parseCommandLine({
    args,
    allowPositionals: true,
    options: { from: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help === true) return 'help';
  const [stack, folder, ...extra] = positionals;
  if (stack === undefined || folder === undefined)
    throw new UsageError('Name the stack and the folder to write');
  if (extra.length > 0) throw new UsageError(`Unexpected argument '${extra[0]}'`);
  return { stack, folder, from: values.from ?? path.join(PROJECT_DIRECTORY, 'cdktf.out') };
}

function main(argv: string[]): number {
  const command = readCommandLine(() => readArguments(argv), USAGE);
  if ('exitCode' in command) return command.exitCode;
  const { stack, folder, from } = command.args;
  try {
    const written = ejectStack(stack, from, folder);
    process.stdout.write(
      `Wrote ${written.join(', ')} to ${folder}. Then: terraform -chdir=${folder} init && terraform -chdir=${folder} plan\n`,
    );
    return 0;
  } catch (error: unknown) {
    if (!(error instanceof EjectError)) throw error;
    process.stderr.write(`eject-terraform: ${error.message}\n`);
    return 1;
  }
}

if (require.main === module) {
  process.exit(main(process.argv.slice(2)));
}
