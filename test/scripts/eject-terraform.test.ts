// @tier e2e
/**
 * Moving on from cdktf, run as far as this machine allows: Terraform 1.11 is here, the AWS
 * provider is not (no registry). So each Terraform command runs with a CLI configuration whose
 * only provider source is an empty filesystem mirror: it goes as far as Terraform gets without the
 * provider, and the tests assert that the provider is the only thing it stops at.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIGURATION_FILE } from '../../scripts/eject-terraform';
import { runScript } from '../support/processes';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..', '..');
/** The page that tells a person how to move on from cdktf (the README links it). */
const MIGRATING = fs.readFileSync(path.join(ROOT, 'docs', 'migrating.md'), 'utf8');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'eject-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const mirror = path.join(work, 'empty-provider-mirror');
fs.mkdirSync(mirror);
const cliConfig = path.join(work, 'terraformrc');
fs.writeFileSync(
  cliConfig,
  `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["*/*/*"]\n  }\n}\n`,
);

/** Runs terraform as a person would, offline: no registry, no checkpoint call. */
function terraform(args: string[]): { code: number | null; output: string } {
  const result = spawnSync('terraform', [...args, '-no-color'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfig,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
    },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Synthesizes the app as `cdktf synth` runs it (cdktf.json's app), into `outdir`. */
function synth(outdir: string, env: Record<string, string> = {}): string {
  execFileSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, SYNTH_DATE: '2026-11-28', ...env },
    stdio: 'pipe',
  });
  return outdir;
}

const read = (file: string) =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as Record<
    string,
    Record<string, Record<string, unknown>>
  >;
const addresses = (configuration: Record<string, Record<string, Record<string, unknown>>>) =>
  Object.entries(configuration.resource).flatMap(([type, byName]) =>
    Object.keys(byName).map((name) => `${type}.${name}`),
  );
/** Every string in the configuration that names a file under assets/ of `directory`. */
function assetPaths(value: unknown, directory: string): string[] {
  if (typeof value === 'string')
    return value.startsWith('assets/') && fs.existsSync(path.join(directory, value)) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => assetPaths(item, directory));
  if (typeof value === 'object' && value !== null)
    return Object.values(value).flatMap((item) => assetPaths(item, directory));
  return [];
}

/** The lines of the `sh` code blocks of a page, comments dropped. */
function pageCommands(text: string): string[] {
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap(([, block]) => block.split('\n'))
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line.length > 0);
}

describe('npm run eject-terraform', () => {
  const outdir = synth(path.join(work, 'cdktf.out'));
  const stackDirectory = path.join(outdir, 'stacks', 'dev');

  it("runs docs/migrating.md's commands in order, as far as Terraform gets without the provider", async () => {
    const commands = pageCommands(MIGRATING);
    const folders = new Map<string, string>();
    const ran: string[] = [];
    for (const line of commands) {
      if (line === 'npm run synth') {
        ran.push('synth'); // done above, into a folder of this test's own (main.ts, as cdktf.json says)
        continue;
      }
      const eject = /^npm run eject-terraform -- (\S+) (\S+)$/.exec(line);
      if (eject !== null) {
        const [, stack, folder] = eject;
        const target = path.join(work, 'project', folder);
        folders.set(folder, target);
        const { code, output } = await runScript('eject-terraform', [
          stack,
          target,
          '--from',
          outdir,
        ]);
        expect({ line, code, output }).toMatchObject({ code: 0 });
        ran.push('eject');
        continue;
      }
      const run = /^terraform -chdir=(\S+) (init|plan)$/.exec(line);
      expect({ line, known: run !== null }).toEqual({ line, known: true });
      const [, folder, subcommand] = run as RegExpExecArray;
      const target = folders.get(folder);
      expect({ line, ejectedFirst: target !== undefined }).toEqual({ line, ejectedFirst: true });
      const { output } = terraform([`-chdir=${target}`, subcommand, '-input=false']);
      if (subcommand === 'init') {
        // The backend block is one Terraform accepts and configures; only the provider is missing.
        expect(output).toContain('Successfully configured the backend "local"!');
        expect(output).toContain('provider registry.terraform.io/hashicorp/aws was not found');
      } else {
        // Plan stops where init did: no version of the provider could be selected.
        expect(output.match(/Error: [^\n]+/g)).toEqual([
          'Error: Inconsistent dependency lock file',
        ]);
        expect(output).toContain(
          'provider registry.terraform.io/hashicorp/aws: required by this configuration but no version is selected',
        );
      }
      ran.push(subcommand);
    }
    expect(ran).toEqual(['synth', 'eject', 'init', 'plan']);
  });

  it('keeps the configuration and its resource addresses, with the assets it names beside it', async () => {
    const folder = path.join(work, 'same');
    const { code } = await runScript('eject-terraform', ['dev', folder, '--from', outdir]);
    expect(code).toBe(0);
    const synthesized = read(path.join(stackDirectory, 'cdk.tf.json'));
    const ejected = read(path.join(folder, CONFIGURATION_FILE));
    expect(addresses(ejected)).toEqual(addresses(synthesized));
    expect(ejected.resource).toEqual(synthesized.resource);
    const assets = assetPaths(ejected, stackDirectory);
    expect(assets.length).toBeGreaterThan(3);
    for (const asset of assets) {
      expect(fs.readFileSync(path.join(folder, asset))).toEqual(
        fs.readFileSync(path.join(stackDirectory, asset)),
      );
    }
  });

  it('points a local backend at the same state file from the new folder, and leaves that file alone', async () => {
    const folder = path.join(work, 'elsewhere', 'infra', 'dev');
    await runScript('eject-terraform', ['dev', folder, '--from', outdir]);
    const statePath = (
      read(path.join(folder, CONFIGURATION_FILE)).terraform.backend as { local: { path: string } }
    ).local.path;
    expect(path.isAbsolute(statePath)).toBe(false);
    expect(path.resolve(folder, statePath)).toBe(path.join(ROOT, 'terraform.dev.tfstate'));
    const existed = fs.existsSync(path.join(ROOT, 'terraform.dev.tfstate'));
    terraform([`-chdir=${folder}`, 'init', '-input=false']);
    expect(fs.existsSync(path.join(ROOT, 'terraform.dev.tfstate'))).toBe(existed);
    const providers = terraform([`-chdir=${folder}`, 'providers']);
    expect(providers.output).toContain('provider[registry.terraform.io/hashicorp/aws] 6.25.0');
  });

  it('keeps an S3 backend as it is, and Terraform parses the configuration up to the missing provider', async () => {
    const s3Out = synth(path.join(work, 'cdktf-s3.out'), {
      TF_STATE_BUCKET: 'my-state',
      TF_STATE_REGION: 'eu-west-1',
    });
    const folder = path.join(work, 's3', 'prod');
    await runScript('eject-terraform', ['prod', folder, '--from', s3Out]);
    const ejected = read(path.join(folder, CONFIGURATION_FILE));
    expect(ejected.terraform.backend).toEqual(
      read(path.join(s3Out, 'stacks', 'prod', 'cdk.tf.json')).terraform.backend,
    );
    expect(
      terraform([`-chdir=${folder}`, 'init', '-backend=false', '-input=false']).output,
    ).toContain('provider registry.terraform.io/hashicorp/aws was not found');
    const validate = terraform([`-chdir=${folder}`, 'validate']);
    expect(validate.output.match(/Error: [^\n]+/g)).toEqual(['Error: Missing required provider']);
  });

  it('refuses a stack that was not synthesized and a folder that is not empty (exit 1), and a bad command line (exit 2)', async () => {
    const missing = await runScript('eject-terraform', [
      'staging',
      path.join(work, 'x'),
      '--from',
      outdir,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('eject-terraform: no synthesized stack staging');
    expect(missing.output).toContain('(the stacks: bootstrap, dev, prod)');
    const full = path.join(work, 'full');
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, 'main.tf'), '');
    const notEmpty = await runScript('eject-terraform', ['dev', full, '--from', outdir]);
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.output).toContain('is not empty');
    expect((await runScript('eject-terraform', ['dev'])).code).toBe(2);
  });

  it('refuses a synthesized stack that is not Terraform JSON in one line naming the file (exit 1)', async () => {
    const broken = path.join(work, 'broken-out');
    fs.mkdirSync(path.join(broken, 'stacks', 'dev'), { recursive: true });
    const file = path.join(broken, 'stacks', 'dev', 'cdk.tf.json');
    fs.writeFileSync(file, '{"resource": ');
    const run = await runScript('eject-terraform', ['dev', path.join(work, 'y'), '--from', broken]);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(
      new RegExp(`^eject-terraform: ${file.replace(/[.]/g, '\\.')} is not JSON: `),
    );
  });

  // This machine's image has one real AWS provider, 5.100.0, unpacked at /opt/tf-plugins: not the
  // 6.25.0 the stacks pin, but its schema judges every resource and attribute 5.x already had.
  const PROVIDER_MIRROR = '/opt/tf-plugins';
  const MIRRORED_VERSION = '5.100.0';
  const haveProvider = fs.existsSync(
    path.join(PROVIDER_MIRROR, 'registry.terraform.io', 'hashicorp', 'aws', MIRRORED_VERSION),
  );
  (haveProvider ? it : it.skip).each(['dev', 'prod', 'bootstrap'])(
    `validates the %s folder against the AWS provider's own schema (${MIRRORED_VERSION}), but for what 6.x added`,
    async (stack) => {
      const folder = path.join(work, 'validate', stack);
      await runScript('eject-terraform', [stack, folder, '--from', outdir]);
      // The one change for this test: the version the mirror has, and state kept in the folder.
      const file = path.join(folder, CONFIGURATION_FILE);
      const configuration = read(file) as unknown as {
        terraform: {
          required_providers: { aws: { version: string } };
          backend: Record<string, unknown>;
        };
      };
      configuration.terraform.required_providers.aws.version = MIRRORED_VERSION;
      configuration.terraform.backend = { local: { path: 'validate.tfstate' } };
      fs.writeFileSync(file, JSON.stringify(configuration));
      const init = terraform([
        `-chdir=${folder}`,
        'init',
        '-input=false',
        `-plugin-dir=${PROVIDER_MIRROR}`,
      ]);
      expect(init.output).toContain('Terraform has been successfully initialized!');
      const validate = terraform([`-chdir=${folder}`, 'validate', '-json']);
      const diagnostics = (
        JSON.parse(validate.output.slice(validate.output.indexOf('{'))) as {
          diagnostics: { severity: string; summary: string; detail: string; range?: unknown }[];
        }
      ).diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
      // aws_synthetics_canary's schedule.retry_config came with provider 6.x; nothing else is refused.
      const canaries = stack === 'bootstrap' ? 0 : 2;
      expect(diagnostics.map((diagnostic) => diagnostic.detail)).toEqual(
        Array(canaries).fill('No argument or block type is named "retry_config".'),
      );
    },
  );

  it('is needed: the HCL of `cdktf synth --hcl` does not parse', () => {
    const hclOut = path.join(work, 'hcl.out');
    execFileSync(
      path.join(ROOT, 'node_modules', '.bin', 'cdktf'),
      ['synth', '--hcl', '--output', hclOut],
      {
        cwd: ROOT,
        env: { ...process.env, CHECKPOINT_DISABLE: '1', SYNTH_DATE: '2026-11-28' },
        stdio: 'pipe',
      },
    );
    const validate = terraform([`-chdir=${path.join(hclOut, 'stacks', 'dev')}`, 'validate']);
    expect(validate.code).not.toBe(0);
    expect(validate.output).toContain('Error: Argument or block definition required');
    expect(validate.output).toContain('Error: Invalid character');
    expect(validate.output).not.toContain('Missing required provider');
  });
});
