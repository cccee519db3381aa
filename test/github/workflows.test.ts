// @tier e2e
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { MESSAGES_FUNCTION } from '../../contract/function';
import { STAGES } from '../../stacks/config';
import { REQUIRED_TERRAFORM_VERSION } from '../../stacks/state/state-backend';
import { synthStage } from '../support/synth';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const VALIDATOR = path.join(ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs');

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly uses?: string;
  readonly if?: string;
  readonly needs?: string | string[];
  readonly with?: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly environment?: { name: string; url?: string };
  readonly concurrency?: { group: string; 'cancel-in-progress': boolean | string };
  readonly env?: Record<string, string>;
  readonly steps?: Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const FILES = fs.readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file));
const text = (file: string) => fs.readFileSync(path.join(WORKFLOWS, file), 'utf8');
const workflow = (file: string) => parse(text(file)) as Workflow;
const steps = (file: string) =>
  Object.values(workflow(file).jobs).flatMap((job) => job.steps ?? []);
const runLines = (file: string) =>
  steps(file).flatMap((step) => (step.run ?? '').split('\n').map((line) => line.trim()));

function validate(file: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the GitHub workflows', () => {
  it('are the pre-merge and post-merge pipelines, the deploy of one stage, and a deploy by hand', () => {
    expect(FILES.sort()).toEqual([
      'deploy-stage.yml',
      'deploy.yml',
      'post-merge.yml',
      'pre-merge.yml',
    ]);
    expect(Object.keys(workflow('pre-merge.yml').on).sort()).toEqual([
      'pull_request',
      'workflow_call',
    ]);
    expect(workflow('post-merge.yml').on).toEqual({ push: { branches: ['main'] } });
    expect(Object.keys(workflow('deploy-stage.yml').on)).toEqual(['workflow_call']);
    expect(Object.keys(workflow('deploy.yml').on)).toEqual(['workflow_dispatch']);
  });

  it.each(FILES)('%s passes action-validator', (file) => {
    const { status, output } = validate(path.join(WORKFLOWS, file));
    expect({ status, output }).toEqual({ status: 0, output: '' });
  });

  it('action-validator refuses a workflow that GitHub would refuse', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-'));
    try {
      const broken = path.join(dir, 'broken.yml');
      fs.writeFileSync(broken, text('pre-merge.yml').replace('runs-on:', 'runs-onn:'));
      const { status, output } = validate(broken);
      expect(status).toBe(1);
      expect(output).toContain('/jobs/checks');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('run only npm scripts and binaries the project has', () => {
    const scripts = (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const used = FILES.flatMap(runLines).flatMap((line) => [
      ...[...line.matchAll(/\bnpm run(?: -s)? ([\w:-]+)/g)].map(([, script]) => ({
        line,
        name: script,
        exists: script in scripts,
      })),
      ...[...line.matchAll(/\bnpx ([\w@/.-]+)/g)].map(([, bin]) => ({
        line,
        name: bin,
        exists: fs.existsSync(path.join(ROOT, 'node_modules', '.bin', bin)),
      })),
    ]);
    expect(new Set(used.map((use) => use.name))).toEqual(
      new Set(['lint', 'synth', 'deploy-alarm', 'cdktf', 'canary']),
    );
    expect(used.filter((use) => !use.exists)).toEqual([]);
  });

  it.each(FILES)(
    '%s pins every third-party action to a commit, with its version beside it',
    (file) => {
      const uses = text(file)
        .split('\n')
        .map((line) => /^\s*(?:- )?uses: (.*)$/.exec(line)?.[1])
        .filter((value): value is string => value !== undefined);
      expect(uses.length).toBeGreaterThan(0);
      for (const value of uses) {
        if (value.startsWith('./')) {
          expect(fs.existsSync(path.join(ROOT, value))).toBe(true);
          continue;
        }
        expect(value).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
      }
    },
  );

  it('pin each action to the same commit everywhere', () => {
    const pins = new Map<string, Set<string>>();
    for (const file of FILES) {
      for (const [, action, pin] of text(file).matchAll(/uses: ([\w.-]+\/[\w.-]+)@(\S+ # \S+)/g)) {
        pins.set(action, (pins.get(action) ?? new Set()).add(pin));
      }
    }
    for (const [action, versions] of pins)
      expect({ action, versions: versions.size }).toEqual({ action, versions: 1 });
  });

  it.each(FILES)(
    '%s reads the repository, and only the deploy jobs may ask for an OIDC token',
    (file) => {
      const { permissions, jobs } = workflow(file);
      expect(permissions).toEqual({ contents: 'read' });
      for (const [name, job] of Object.entries(jobs)) {
        if (job.permissions === undefined) continue;
        const deploys = name.startsWith('deploy');
        // actions: read is what GitHub's "Get an environment" endpoint asks of the token.
        expect({ name, permissions: job.permissions }).toEqual({
          name,
          permissions: deploys
            ? { contents: 'read', 'id-token': 'write', actions: 'read' }
            : { contents: 'read' },
        });
      }
    },
  );

  it.each(FILES)('%s holds no AWS keys: credentials come from OIDC only', (file) => {
    const content = text(file);
    for (const banned of [
      'aws-access-key-id',
      'aws-secret-access-key',
      'aws-session-token',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_ACCESS_KEY_ID',
      'secrets.',
    ]) {
      expect({ banned, found: content.includes(banned) }).toEqual({ banned, found: false });
    }
  });

  describe('post-merge', () => {
    const { jobs } = workflow('post-merge.yml');

    it('runs the pre-merge checks, then each stage in order, each after the one before', () => {
      expect(jobs.checks.uses).toBe('./.github/workflows/pre-merge.yml');
      const deploys = Object.entries(jobs).filter(
        ([, job]) => job.uses === './.github/workflows/deploy-stage.yml',
      );
      expect(deploys.map(([, job]) => job.with?.stage)).toEqual([...STAGES]);
      deploys.forEach(([name, job], index) => {
        expect(name).toBe(`deploy-${STAGES[index]}`);
        expect(job.needs).toBe(index === 0 ? 'checks' : `deploy-${STAGES[index - 1]}`);
      });
    });

    it.each(STAGES)(
      'gives the %s deploy its own role and alert emails from repository variables, for the newest commit only',
      (stage) => {
        expect(jobs[`deploy-${stage}`].with).toMatchObject({
          stage,
          'role-arn': `\${{ vars.AWS_DEPLOY_ROLE_ARN_${stage.toUpperCase()} }}`,
          'alert-emails': `\${{ vars.ALERT_EMAILS_${stage.toUpperCase()} }}`,
          'newest-only': true,
        });
      },
    );

    it('deploys prod after dev only where a reviewer must approve, and checks that one must', () => {
      expect(jobs['deploy-prod'].if).toBe("vars.PROD_REQUIRED_REVIEWERS == 'true'");
      expect(jobs['deploy-prod'].with?.['require-reviewers']).toBe(true);
      expect(jobs['deploy-dev'].with?.['require-reviewers']).toBeUndefined();
      expect(jobs['prod-by-hand'].if).toBe("vars.PROD_REQUIRED_REVIEWERS != 'true'");
      expect(jobs['prod-by-hand'].needs).toBe('deploy-dev');
    });

    it("gives, in the run's summary, the command docs/pipeline.md gives for prod by hand", () => {
      const summary = jobs['prod-by-hand'].steps?.[0].run ?? '';
      const command = 'gh workflow run deploy.yml --ref main -f stage=prod -f commit=';
      expect(summary).toContain(`${command}$GITHUB_SHA`);
      expect(fs.readFileSync(path.join(ROOT, 'docs', 'pipeline.md'), 'utf8')).toContain(
        `\`${command}<sha>\``,
      );
    });
  });

  describe('deploy-stage', () => {
    const { jobs, env } = workflow('deploy-stage.yml');
    const job = jobs.deploy;
    const stepList = job.steps ?? [];
    const index = (find: (step: Step) => boolean) => {
      const at = stepList.findIndex(find);
      expect(at).toBeGreaterThanOrEqual(0);
      return at;
    };

    it("runs in the stage's GitHub environment, one deploy per stage at a time, never cancelled", () => {
      expect(job.environment?.name).toBe('${{ inputs.stage }}');
      expect(job.concurrency).toEqual({
        group: 'deploy-${{ inputs.stage }}',
        'cancel-in-progress': false,
      });
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write', actions: 'read' });
    });

    it("assumes the stage's role through OIDC", () => {
      const credentials = stepList.find((step) =>
        step.uses?.startsWith('aws-actions/configure-aws-credentials@'),
      );
      expect(credentials?.with).toMatchObject({ 'role-to-assume': '${{ inputs.role-arn }}' });
    });

    it('holds the deploy alarm, deploys, runs both canaries on the deployed URLs, then releases the alarm whatever happened', () => {
      const hold = index((step) => /npm run deploy-alarm -- "\$STAGE" set\b/.test(step.run ?? ''));
      const deploy = index((step) =>
        (step.run ?? '').startsWith(
          'npx cdktf deploy "$STAGE" --auto-approve --outputs-file "$RUNNER_TEMP/outputs.json"',
        ),
      );
      const urls = index((step) => step.id === 'urls');
      const api = index((step) =>
        (step.run ?? '').startsWith(
          'npm run canary -- api --api-url "$API_URL" --website-url "$WEBSITE_URL"',
        ),
      );
      const website = index((step) =>
        (step.run ?? '').startsWith(
          'npm run canary -- website --website-url "$WEBSITE_URL" --api-url "$API_URL"',
        ),
      );
      const release = index((step) =>
        /npm run deploy-alarm -- "\$STAGE" clear\b/.test(step.run ?? ''),
      );
      expect([hold, deploy, urls, api, website, release]).toEqual(
        [...[hold, deploy, urls, api, website, release]].sort((a, b) => a - b),
      );
      expect(stepList[hold].id).toBe('hold');
      expect(stepList[release].if).toBe("${{ always() && steps.hold.outcome != 'skipped' }}");
      expect(release).toBe(stepList.length - 1);
    });

    it('reads URLs that the stage stacks output, from the file cdktf deploy writes', () => {
      const read = stepList.find((step) => step.id === 'urls')?.run ?? '';
      const outputs = [...read.matchAll(/'\.\[\$stage\]\.(\w+)'/g)].map((match) => match[1]);
      expect(outputs).toEqual(['website_url', 'api_url']);
      for (const stage of STAGES)
        for (const output of outputs) expect(synthStage(stage).output(output)).toBeDefined();
    });

    it('installs Terraform at a pinned version that the stacks accept, without the wrapper cdktf cannot read', () => {
      const version = env?.TERRAFORM_VERSION ?? '';
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      const minimum =
        /^>= (\d+)\.(\d+)\.(\d+)$/.exec(REQUIRED_TERRAFORM_VERSION)?.slice(1).map(Number) ?? [];
      const [major, minor, patch] = version.split('.').map(Number);
      expect(major * 1e6 + minor * 1e3 + patch).toBeGreaterThanOrEqual(
        minimum[0] * 1e6 + minimum[1] * 1e3 + minimum[2],
      );
      const setup = stepList.find((step) => step.uses?.startsWith('hashicorp/setup-terraform@'));
      expect(setup?.with).toEqual({
        terraform_version: '${{ env.TERRAFORM_VERSION }}',
        terraform_wrapper: false,
      });
    });

    it('refuses to deploy without a state bucket, which would leave the state on the runner', () => {
      expect(job.env?.TF_STATE_BUCKET).toBe('${{ vars.TF_STATE_BUCKET }}');
      expect(stepList[0].run).toContain('if [ -z "$TF_STATE_BUCKET" ]; then');
    });
  });

  it('set up the Node.js major the Lambda runtime runs', () => {
    const lambdaMajor = Number(/^nodejs(\d+)\.x$/.exec(MESSAGES_FUNCTION.runtime)?.[1]);
    const setups = FILES.flatMap(steps).filter((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setups).toHaveLength(2);
    for (const step of setups) expect(step.with?.['node-version']).toBe(lambdaMajor);
  });

  describe('pre-merge', () => {
    const stepList = workflow('pre-merge.yml').jobs.checks.steps ?? [];
    const runs = stepList.map((step) => step.run ?? '');

    it('installs, lints and type-checks, tests, and synthesizes, in that order', () => {
      const order = ['npm ci', 'npm run lint', 'npm test', 'npm run synth'].map((command) =>
        runs.findIndex((run) => run.split(' && ').some((part) => part.startsWith(command))),
      );
      expect(order.every((at) => at >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    });

    it('keeps the test report, even of a failed run, and the synthesized Terraform', () => {
      const report = /--outputFile=(\S+)/.exec(
        runs.find((run) => run.includes('npm test')) ?? '',
      )?.[1];
      const uploads = stepList.filter((step) => step.uses?.startsWith('actions/upload-artifact@'));
      expect(uploads.map((step) => step.with?.path)).toEqual([
        report,
        'cdktf.out/manifest.json\ncdktf.out/stacks/\n',
      ]);
      expect(uploads[0].if).toBe('${{ !cancelled() }}');
    });
  });
});
