// @tier e2e
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXEMPTIONS_KEY } from '@monitored/terraform-policy';

// This machine's image has one real AWS provider unpacked here (Terraform cannot download one).
const PROVIDER_MIRROR = '/opt/tf-plugins';
const PROVIDER_VERSION = '5.100.0';
const haveProvider = fs.existsSync(
  path.join(PROVIDER_MIRROR, 'registry.terraform.io', 'hashicorp', 'aws', PROVIDER_VERSION),
);

const FIXTURE = path.join(__dirname, 'fixtures', 'plain.tf.json');

type Module = {
  terraform?: unknown;
  resource: Record<string, Record<string, Record<string, unknown>>>;
};

/** `terraform validate` of `module` in a folder of its own: its error summaries. */
function validate(module: Module): string[] {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-validate-'));
  try {
    module.terraform = {
      required_providers: { aws: { source: 'hashicorp/aws', version: PROVIDER_VERSION } },
    };
    fs.writeFileSync(path.join(folder, 'main.tf.json'), JSON.stringify(module));
    const run = (args: string[]) =>
      spawnSync('terraform', [`-chdir=${folder}`, ...args, '-no-color'], { encoding: 'utf8' });
    const init = run(['init', '-input=false', `-plugin-dir=${PROVIDER_MIRROR}`]);
    expect(init.stdout).toContain('Terraform has been successfully initialized!');
    const result = JSON.parse(run(['validate', '-json']).stdout) as {
      diagnostics: { severity: string; summary: string }[];
    };
    return result.diagnostics
      .filter((diagnostic) => diagnostic.severity === 'error')
      .map((diagnostic) => diagnostic.summary);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

const read = (): Module => JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Module;

(haveProvider ? describe : describe.skip)(
  `exemptions in the JSON, before Terraform ${PROVIDER_VERSION}'s AWS provider`,
  () => {
    it('are ignored by Terraform under the resource\'s "//"', () => {
      expect(validate(read())).toEqual([]);
    });

    it('would be refused anywhere else on the resource', () => {
      const module = read();
      const audit = module.resource.aws_cloudwatch_log_group.audit;
      audit[EXEMPTIONS_KEY] = (audit['//'] as Record<string, unknown>)[EXEMPTIONS_KEY];
      delete audit['//'];
      expect(validate(module)).toEqual(['Extraneous JSON object property']);
    });
  },
);
