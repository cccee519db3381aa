// @tier e2e
/**
 * Every command docs/runbook.md tells a person to type, run or parsed by the tool that will run
 * it: npm scripts run with the arguments shown (deploy-alarm dry, status against a closed local
 * port), cdktf and Terraform subcommands and options checked against their own help, AWS CLI
 * calls parsed by the AWS CLI (sent to a closed local port, so they stop at the connection, after
 * parsing), git commands run in a scratch repository with a local origin, the variables set
 * on a command line parsed as main.ts parses them, and the GitHub CLI's (not installed here)
 * checked against the workflows: the repository variables they read, the inputs a dispatch takes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { BOOTSTRAP_STACK } from '../../stacks/bootstrap/bootstrap-stack';
import { parseDay, parseEmailList, STAGES, stageConfigs } from '../../stacks/config';
import { deployAlarmName } from '../../stacks/monitoring/names';
import {
  ACCEPT_DEPRECATED_RUNTIMES,
  parseAcceptedRuntimes,
} from '../../stacks/policy/accepted-runtimes';
import { namePrefix } from '../../stacks/shared/naming';
import { parse as parseYaml } from 'yaml';
import { lockKey } from '../../stacks/state/state-backend';
import { settingsFromEnvironment } from '../../stacks/app';
import { cdktfHelp } from '../support/cdktf-help';
import { runScript } from '../support/processes';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..');
const RUNBOOK_PATH = path.join(ROOT, 'docs', 'runbook.md');
const RUNBOOK = fs.readFileSync(RUNBOOK_PATH, 'utf8');
const SCRIPTS = Object.keys(
  (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts,
);
const STACKS: string[] = [BOOTSTRAP_STACK, ...STAGES];
const configs = stageConfigs({ alertEmails: { dev: [], prod: [] } });

/** The lines of the page's `sh` code blocks, comments and blank lines dropped. */
const blocks = [...RUNBOOK.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap(([, block]) => block.split('\n'))
  .map((line) => line.replace(/\s+#\s.*$/, '').trim())
  .filter((line) => line.length > 0);
/** Commands in the prose: `aws kms cancel-key-deletion …`, `npm run status -- <stage>`. */
const inline = [
  ...RUNBOOK.matchAll(/`((?:[A-Z_]+=\S+ )*(?:aws|npm run|npx|terraform|git|gh) [^`]+)`/g),
]
  .map(([, command]) => command)
  .filter((command) => !blocks.includes(command));
const commands = [...blocks, ...inline];

/** What the page's placeholders stand for when the test runs a command. */
const SAMPLES: Record<string, string> = {
  '<state_bucket>': 'msgs-tfstate-0123456789abcdef',
  '<lock id>': '6f1c2a9e-4b3d-4e5f-8a7b-0c1d2e3f4a5b',
  '<key id>': '1234abcd-12ab-34cd-56ef-1234567890ab',
  '<why>': 'runbook test',
  '<maintenance: what and until when>': 'maintenance: table migration until 04:00Z',
  '<the names listed>': `${namePrefix('prod')}-site-down,${deployAlarmName(namePrefix('prod'))}`,
  '<stage>': 'prod',
  '<YYYY-MM-DD>': '2027-01-30',
  '<sha>': '3f0c2a9e4b3d4e5f8a7b0c1d2e3f4a5b6c7d8e9f',
};

/** The command with its placeholders filled in; an email in brackets stands for itself. */
function filled(command: string, extra: Record<string, string> = {}): string {
  const samples = { ...SAMPLES, ...extra };
  return command.replace(/<[^<>]+>/g, (placeholder) => {
    if (/^<[^\s@<>]+@[^\s@<>]+>$/.test(placeholder)) return placeholder.slice(1, -1);
    const sample = samples[placeholder];
    if (sample === undefined) throw new Error(`no sample for ${placeholder} in: ${command}`);
    return sample;
  });
}

/** Words as a POSIX shell splits them (single and double quotes; no expansion is used here). */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map(
    ([, single, double, bare]) => single ?? double ?? bare,
  );
}

function terraformHelp(subcommand: string): string {
  const result = spawnSync('terraform', [subcommand, '-help'], {
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '' },
  });
  return `${result.stdout}${result.stderr}`;
}

/** A local port nothing listens on: the AWS CLI fails there at the connection, after parsing. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const withoutEnvPrefix = (line: string) => line.replace(/^(?:[A-Z_]+=\S+ )+/, '');

describe('docs/runbook.md', () => {
  it('has commands of each kind it promises to test', () => {
    const kinds = new Set(
      commands.map((line) => withoutEnvPrefix(line).split(' ')[0].replace(/^cd$/, 'terraform')),
    );
    expect([...kinds].sort()).toEqual(['aws', 'export', 'gh', 'git', 'npm', 'npx', 'terraform']);
  });

  it('names only npm scripts the project has, each taking the arguments shown', async () => {
    const uses = commands.filter((line) => withoutEnvPrefix(line).startsWith('npm run '));
    expect(uses.length).toBeGreaterThanOrEqual(6);
    const port = await closedPort();
    for (const line of uses) {
      const [, , script, separator, ...args] = words(filled(withoutEnvPrefix(line)));
      expect({ line, known: SCRIPTS.includes(script) }).toEqual({ line, known: true });
      // `npm run status` named in the prose, and cdktf synth, which main.test.ts runs as it does.
      if (separator === undefined || script === 'synth') continue;
      expect({ line, separator }).toEqual({ line, separator: '--' });
      if (script === 'deploy-alarm') {
        const { code, output } = await runScript(script, [...args, '--dry-run']);
        expect({ line, code, output }).toMatchObject({ code: 0 });
      } else if (script === 'status') {
        // Taken (not exit 2); AWS is a closed local port, so every call fails and it exits 1.
        const { code, output } = await runScript(script, args, {
          AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
          AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'example',
          AWS_EC2_METADATA_DISABLED: 'true',
          TF_STATE_BUCKET: SAMPLES['<state_bucket>'],
        });
        expect({ line, code, usage: output.includes('Usage:') }).toEqual({
          line,
          code: 1,
          usage: false,
        });
        expect(output).toContain('unknown: CloudWatch.DescribeAlarms');
      } else {
        throw new Error(`the test does not know how to run npm run ${script}: ${line}`);
      }
    }
  });

  it('uses only stacks the app has and cdktf options cdktf 0.21 has', () => {
    const uses = commands.filter((line) => withoutEnvPrefix(line).startsWith('npx cdktf '));
    expect(uses.length).toBeGreaterThanOrEqual(3);
    for (const line of uses) {
      const [, , subcommand, ...rest] = words(withoutEnvPrefix(line));
      for (const word of rest) {
        if (word.startsWith('--')) {
          expect({
            line,
            word,
            known: cdktfHelp(subcommand).includes(`${word} `),
          }).toMatchObject({ known: true });
        } else {
          expect({ line, word, known: STACKS.includes(word) }).toMatchObject({ known: true });
        }
      }
    }
  });

  it('sets only variables the synth reads, to values it takes', () => {
    const settings = commands.flatMap((line) => {
      const exported = /^export ([A-Z_]+)=(\S+)$/.exec(line);
      if (exported !== null) return [[exported[1], exported[2], line]];
      return [...line.matchAll(/^(?:([A-Z_]+)=(\S+) )/g)].map(([, name, value]) => [
        name,
        value,
        line,
      ]);
    });
    expect(settings.map(([name]) => name).sort()).toEqual(
      [ACCEPT_DEPRECATED_RUNTIMES, 'ALERT_EMAILS_PROD', 'SYNTH_DATE'].sort(),
    );
    // main.ts hands the environment to settingsFromEnvironment: each value must change the settings.
    const base = { ALERT_EMAILS: 'ops@example.com' };
    const plain = settingsFromEnvironment(base);
    for (const [name, value, line] of settings) {
      const sample = filled(value);
      const read = settingsFromEnvironment({ ...base, [name]: sample });
      if (name === ACCEPT_DEPRECATED_RUNTIMES) {
        expect(read.acceptDeprecatedRuntimes).toEqual(parseAcceptedRuntimes(sample, name));
        expect(read.acceptDeprecatedRuntimes.length).toBeGreaterThan(0);
      } else if (name === 'SYNTH_DATE') {
        expect(read.today).toEqual(parseDay(sample, name));
      } else {
        const stage = STAGES.find((each) => name === `ALERT_EMAILS_${each.toUpperCase()}`);
        expect({ line, stage }).toEqual({ line, stage: expect.any(String) });
        expect(read.configs[stage!].alertEmails).toEqual(parseEmailList(sample, name));
        expect(read.configs[stage!].alertEmails).not.toEqual(plain.configs[stage!].alertEmails);
        expect(read.configs[stage!].alertEmails.length).toBeGreaterThan(1);
      }
    }
  });

  it('calls the AWS CLI as it parses, in the region of the stage each call names', async () => {
    const uses = commands.filter((line) => line.startsWith('aws '));
    expect(uses.length).toBeGreaterThanOrEqual(6);
    const port = await closedPort();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-aws-'));
    try {
      for (const line of uses) {
        const args = words(filled(line)).slice(1);
        const result = spawnSync('aws', [...args, '--endpoint-url', `http://127.0.0.1:${port}`], {
          encoding: 'utf8',
          env: {
            ...process.env,
            HOME: home,
            AWS_CONFIG_FILE: path.join(home, 'config'),
            AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
            AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
            AWS_SECRET_ACCESS_KEY: 'example',
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_MAX_ATTEMPTS: '1',
            AWS_RETRY_MODE: 'standard',
          },
        });
        const output = `${result.stdout}${result.stderr}`;
        // Parsed, validated and sent: only the connection failed.
        expect({ line, output }).toEqual({
          line,
          output: expect.stringContaining('Could not connect to the endpoint URL') as string,
        });
        for (const stage of STAGES) {
          if (!line.includes(`${namePrefix(stage)}-`)) continue;
          expect({ line, region: line.includes(`--region ${configs[stage].region} `) }).toEqual({
            line,
            region: true,
          });
        }
      }
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('sets repository variables the workflows read, and dispatches a workflow with the inputs it takes', () => {
    const uses = commands.filter((line) => line.startsWith('gh '));
    expect(uses.length).toBeGreaterThanOrEqual(3);
    const folder = path.join(ROOT, '.github', 'workflows');
    const workflows = fs
      .readdirSync(folder)
      .map((file) => fs.readFileSync(path.join(folder, file), 'utf8'));
    const read = new Set(
      workflows.flatMap((text) => [...text.matchAll(/\bvars\.(\w+)/g)].map(([, name]) => name)),
    );
    for (const line of uses) {
      const [, group, verb, ...args] = words(filled(line));
      if (group === 'variable' && verb === 'set') {
        // gh variable set <name> --body <value>
        const [name, flag, value, ...rest] = args;
        expect({ line, flag, rest, read: read.has(name) }).toEqual({
          line,
          flag: '--body',
          rest: [],
          read: true,
        });
        if (name === ACCEPT_DEPRECATED_RUNTIMES) {
          expect(parseAcceptedRuntimes(value, name).length).toBeGreaterThan(0);
        } else {
          expect({ line, emails: /^ALERT_EMAILS_[A-Z]+$/.test(name) }).toEqual({
            line,
            emails: true,
          });
          expect(parseEmailList(value, name).length).toBeGreaterThan(1);
        }
      } else if (group === 'workflow' && verb === 'run') {
        // gh workflow run <file> --ref <branch> -f <input>=<value>…
        const [file, ...rest] = args;
        expect({ line, exists: fs.existsSync(path.join(folder, file)) }).toEqual({
          line,
          exists: true,
        });
        const workflow = parseYaml(fs.readFileSync(path.join(folder, file), 'utf8')) as {
          on: {
            workflow_dispatch?: {
              inputs?: Record<string, { required?: boolean; options?: string[] }>;
            };
          };
        };
        const inputs = workflow.on.workflow_dispatch?.inputs ?? {};
        const given: Record<string, string> = {};
        let ref: string | undefined;
        for (let at = 0; at < rest.length; at += 2) {
          if (rest[at] === '--ref') ref = rest[at + 1];
          else if (rest[at] === '-f') {
            const [key, ...value] = rest[at + 1].split('=');
            given[key] = value.join('=');
          } else throw new Error(`the test does not know ${rest[at]} of gh workflow run: ${line}`);
        }
        // deploy.yml runs only from main (the workflow file and what it may deploy are main's).
        expect({ line, ref }).toEqual({ line, ref: 'main' });
        for (const [key, value] of Object.entries(given)) {
          expect({ line, key, input: key in inputs }).toEqual({ line, key, input: true });
          const options = inputs[key].options;
          if (options !== undefined) expect(options).toContain(value);
        }
        const required = Object.entries(inputs).filter(([, input]) => input.required === true);
        for (const [key] of required)
          expect({ line, key, given: key in given }).toEqual({ line, key, given: true });
      } else {
        throw new Error(`the test does not know how to check gh ${group} ${verb}: ${line}`);
      }
    }
  });

  it("names the state's lock file where the S3 backend puts it", () => {
    const lockFiles = [...RUNBOOK.matchAll(/s3:\/\/<state_bucket>\/(\S+\.tflock)/g)].map(
      ([, key]) => key,
    );
    expect(lockFiles.length).toBeGreaterThanOrEqual(2);
    for (const key of lockFiles) expect(key).toBe(lockKey('prod'));
  });

  it('uses Terraform subcommands and options Terraform has, in a stack directory the app writes', () => {
    const uses = commands.filter((line) => /^(cd \S+ && )?terraform /.test(line));
    expect(uses.length).toBeGreaterThanOrEqual(1);
    for (const line of uses) {
      const cd = /^cd cdktf\.out\/stacks\/(\S+) && /.exec(line);
      if (cd !== null)
        expect({ line, stack: STACKS.includes(cd[1]) }).toEqual({ line, stack: true });
      const invocations = line
        .split('&&')
        .map((part) => words(part.trim()))
        .filter(([program]) => program === 'terraform');
      for (const [, subcommand, ...args] of invocations) {
        const help = terraformHelp(subcommand);
        expect({
          line,
          subcommand,
          known: help.includes(`Usage: terraform [global options] ${subcommand}`),
        }).toMatchObject({
          known: true,
        });
        for (const option of args.filter((arg) => arg.startsWith('-')))
          expect({ line, option, known: help.includes(`  ${option} `) }).toMatchObject({
            known: true,
          });
      }
    }
  });

  it('rolls back with git commands that run: a revert branch pushed to origin', () => {
    const uses = commands.filter((line) => line.startsWith('git '));
    expect(uses.length).toBeGreaterThanOrEqual(3);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-git-'));
    try {
      const git = (cwd: string, args: string[]) =>
        execFileSync('git', args, {
          cwd,
          encoding: 'utf8',
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 'Runbook',
            GIT_AUTHOR_EMAIL: 'runbook@example.com',
            GIT_COMMITTER_NAME: 'Runbook',
            GIT_COMMITTER_EMAIL: 'runbook@example.com',
          },
          stdio: 'pipe',
        });
      const origin = path.join(scratch, 'origin.git');
      const clone = path.join(scratch, 'clone');
      git(scratch, ['init', '--bare', '--initial-branch=main', origin]);
      git(scratch, ['clone', origin, clone]);
      git(clone, ['switch', '-c', 'main']);
      fs.writeFileSync(path.join(clone, 'setting.txt'), 'good\n');
      git(clone, ['add', '.']);
      git(clone, ['commit', '-m', 'good']);
      fs.writeFileSync(path.join(clone, 'setting.txt'), 'bad\n');
      git(clone, ['commit', '-am', 'bad change']);
      git(clone, ['push', 'origin', 'main']);
      const bad = git(clone, ['rev-parse', 'HEAD']).trim();
      for (const line of uses) git(clone, words(filled(line, { '<commit>': bad })).slice(1));
      const pushed = git(origin, ['show', 'revert-bad-change:setting.txt']);
      expect(pushed).toBe('good\n');
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('links only to files that exist, and the README links to it', () => {
    const links = [...RUNBOOK.matchAll(/\]\(([^)#:]+)(?:#[^)]*)?\)/g)].map(([, target]) => target);
    expect(links.length).toBeGreaterThan(5);
    expect(
      links.filter((target) => !fs.existsSync(path.resolve(path.dirname(RUNBOOK_PATH), target))),
    ).toEqual([]);
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain('](docs/runbook.md');
  });
});
