// @tier e2e
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readZip } from '../../bundling/zip';
import { MESSAGES_FUNCTION } from '../../contract/function';
import { RUNTIME_DEPRECATION } from '../../stacks/policy/rules/lambda-runtime-supported';

const ROOT = path.resolve(__dirname, '..', '..');
// Before the deprecation warning window of the function's runtime; the deprecation tests pick others.
const SYNTH_DATE = '2026-11-28';

const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs) fs.rmSync(outdir, { recursive: true, force: true });
});

/** Runs main.ts as `cdktf synth` does, into a fresh output directory; returns that directory. */
function runMain(env: Record<string, string>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
  outdirs.push(outdir);
  execFileSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, SYNTH_DATE, ...env },
    stdio: 'pipe',
  });
  return outdir;
}

describe('main.ts', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = runMain({ ALERT_EMAILS: 'ops@example.com' });
  });

  const stack = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));

  it('writes the stacks dev (us-west-2), prod (us-east-1) and bootstrap, and no other', () => {
    expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual([
      'bootstrap',
      'dev',
      'prod',
    ]);
    expect(stack('dev').provider.aws[0].region).toBe('us-west-2');
    expect(stack('prod').provider.aws[0].region).toBe('us-east-1');
  });

  it('keeps state locally by default at the project root, one file per stage, outside cdktf.out', () => {
    for (const stage of ['dev', 'prod']) {
      const statePath = stack(stage).terraform.backend.local.path as string;
      // Terraform runs in the stack's directory; a relative path stays right if the project moves.
      expect(path.isAbsolute(statePath)).toBe(false);
      expect(path.resolve(outdir, 'stacks', stage, statePath)).toBe(
        path.join(ROOT, `terraform.${stage}.tfstate`),
      );
      expect(() =>
        execFileSync('git', ['check-ignore', '-q', `terraform.${stage}.tfstate`], { cwd: ROOT }),
      ).not.toThrow();
    }
  });

  it('requires the Terraform version whose S3 backend locks with use_lockfile (GA in 1.11)', () => {
    expect(stack('dev').terraform.required_version).toBe('>= 1.11.0');
    expect(stack('prod').terraform.required_version).toBe('>= 1.11.0');
  });

  it('copies the function zip and the website build into each stack', () => {
    const dev = stack('dev');
    const fn = Object.values(dev.resource.aws_lambda_function)[0] as { filename: string };
    const zip = readZip(path.join(outdir, 'stacks', 'dev', fn.filename));
    // The handler setting is index.handler, so index.js must sit at the root of the zip.
    expect([...zip.keys()].sort()).toEqual(['index.js', 'index.js.map']);
    expect(zip.get('index.js')?.toString()).toContain('handler');
    const objects = Object.values(dev.resource.aws_s3_object) as { source?: string }[];
    for (const object of objects.filter((o) => o.source !== undefined)) {
      expect(fs.existsSync(path.join(outdir, 'stacks', 'dev', object.source as string))).toBe(true);
    }
  });

  const backendsWith = (env: Record<string, string>) => {
    const s3Outdir = runMain(env);
    return ['dev', 'prod'].map(
      (stage) =>
        JSON.parse(fs.readFileSync(path.join(s3Outdir, 'stacks', stage, 'cdk.tf.json'), 'utf8'))
          .terraform.backend,
    );
  };

  it('uses an S3 backend with locking when TF_STATE_BUCKET is set, in the one region of the bucket', () => {
    const [dev, prod] = backendsWith({ TF_STATE_BUCKET: 'my-state' });
    expect(prod.s3).toEqual({
      bucket: 'my-state',
      key: 'msgs/prod.tfstate',
      region: 'us-east-1',
      encrypt: true,
      use_lockfile: true,
    });
    // One bucket has one region: dev's stack (us-west-2) must not look for it elsewhere.
    expect(dev.s3).toEqual({ ...prod.s3, key: 'msgs/dev.tfstate' });
  });

  it('puts both stages in TF_STATE_REGION when it is set', () => {
    const backends = backendsWith({ TF_STATE_BUCKET: 'my-state', TF_STATE_REGION: 'eu-west-1' });
    expect(backends.map((backend) => backend.s3.region)).toEqual(['eu-west-1', 'eu-west-1']);
  });

  it('exits non-zero naming the variable when TF_STATE_REGION is not a region', () => {
    const run = () => runMain({ TF_STATE_BUCKET: 'my-state', TF_STATE_REGION: 'Oregon' });
    expect(run).toThrow(/TF_STATE_REGION: "Oregon" is not an AWS region/);
  });

  it('says what is wrong with a setting in one line, with no stack trace', () => {
    const settings: Record<string, string>[] = [
      { ALERT_EMAILS: 'not-an-email' },
      { TF_STATE_REGION: 'Oregon' },
      { GITHUB_REPOSITORY: 'no slash' },
      { SYNTH_DATE: 'tomorrow' },
      { ACCEPT_DEPRECATED_RUNTIMES: 'nodejs22' },
    ];
    for (const env of settings) {
      let stderr = '';
      try {
        runMain(env);
      } catch (error: unknown) {
        stderr = String((error as { stderr?: Buffer }).stderr);
      }
      expect(stderr.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^${Object.keys(env)[0]}: `)),
      ]);
    }
  });

  it('exits non-zero naming the variable when an alert email is malformed', () => {
    const run = () => runMain({ ALERT_EMAILS_PROD: 'ops@example.com, not-an-email' });
    expect(run).toThrow(/ALERT_EMAILS_PROD: "not-an-email" is not an email address/);
  });

  it('judges runtime deprecation by SYNTH_DATE: a synth on the date exits non-zero naming it', () => {
    const { runtime } = MESSAGES_FUNCTION;
    const deprecated = RUNTIME_DEPRECATION[runtime];
    const run = () => runMain({ SYNTH_DATE: deprecated });
    const why = `runtime ${runtime} was deprecated on ${deprecated}`.replace(/[.]/g, '\\.');
    expect(run).toThrow(
      new RegExp(
        `\\[lambda-runtime-supported\\] aws_lambda_function\\.api_handler_function_[0-9A-F]+: ${why}`,
      ),
    );
  });

  it('says in the refusal how to synth past the date, and what Lambda still allows', () => {
    const { runtime } = MESSAGES_FUNCTION;
    let stderr = '';
    try {
      runMain({ SYNTH_DATE: RUNTIME_DEPRECATION[runtime] });
    } catch (error: unknown) {
      stderr = String((error as { stderr?: Buffer }).stderr);
    }
    expect(stderr).toContain(`set ACCEPT_DEPRECATED_RUNTIMES=${runtime}`);
    expect(stderr).toContain(`\`ACCEPT_DEPRECATED_RUNTIMES=${runtime} npx cdktf destroy <stack>\``);
    expect(stderr).toContain('existing functions keep running; Lambda blocks creating functions');
  });

  it('synthesizes every stack past the date with the runtime in ACCEPT_DEPRECATED_RUNTIMES, and records the warning', () => {
    const { runtime } = MESSAGES_FUNCTION;
    const accepted = runMain({
      SYNTH_DATE: RUNTIME_DEPRECATION[runtime],
      ACCEPT_DEPRECATED_RUNTIMES: runtime,
    });
    expect(fs.readdirSync(path.join(accepted, 'stacks')).sort()).toEqual([
      'bootstrap',
      'dev',
      'prod',
    ]);
    const manifest = JSON.parse(fs.readFileSync(path.join(accepted, 'manifest.json'), 'utf8')) as {
      stacks: Record<string, { annotations: { level: string; message: string }[] }>;
    };
    for (const stage of ['dev', 'prod']) {
      expect(manifest.stacks[stage].annotations).toContainEqual(
        expect.objectContaining({
          level: '@cdktf/warn',
          message: expect.stringContaining(
            `runtime ${runtime} was deprecated on ${RUNTIME_DEPRECATION[runtime]}, accepted by ACCEPT_DEPRECATED_RUNTIMES`,
          ) as string,
        }),
      );
    }
  });

  const bootstrapIn = (outdir: string) =>
    JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'bootstrap', 'cdk.tf.json'), 'utf8'));
  const bootstrapWith = (env: Record<string, string>) => bootstrapIn(runMain(env));

  it('synthesizes the bootstrap stack without GITHUB_REPOSITORY, leaving the repository for plan to refuse', () => {
    const bootstrap = bootstrapWith({ GITHUB_REPOSITORY: '' });
    expect(bootstrap.variable.github_repository.default).toBe('');
  });

  it('gives the deploy roles the repository of GITHUB_REPOSITORY', () => {
    const bootstrap = bootstrapWith({ GITHUB_REPOSITORY: 'octo-org/octo-repo' });
    expect(bootstrap.variable.github_repository.default).toBe('octo-org/octo-repo');
  });

  it('keeps the bootstrap state local even with TF_STATE_BUCKET, and puts its bucket in TF_STATE_REGION', () => {
    const s3Outdir = runMain({ TF_STATE_BUCKET: 'my-state', TF_STATE_REGION: 'eu-west-1' });
    const bootstrap = bootstrapIn(s3Outdir);
    // It creates the bucket: its own state cannot start there.
    expect(Object.keys(bootstrap.terraform.backend)).toEqual(['local']);
    expect(
      path.resolve(s3Outdir, 'stacks', 'bootstrap', bootstrap.terraform.backend.local.path),
    ).toBe(path.join(ROOT, 'terraform.bootstrap.tfstate'));
    expect(bootstrap.provider.aws[0].region).toBe('eu-west-1');
    expect(() =>
      execFileSync('git', ['check-ignore', '-q', 'terraform.bootstrap.tfstate'], { cwd: ROOT }),
    ).not.toThrow();
  });

  it('exits non-zero naming the variable when GITHUB_REPOSITORY is not owner/repo', () => {
    const run = () => runMain({ GITHUB_REPOSITORY: 'https://github.com/octo-org/octo-repo' });
    expect(run).toThrow(
      /GITHUB_REPOSITORY: "https:\/\/github.com\/octo-org\/octo-repo" is not a GitHub repository/,
    );
  });

  it('exits non-zero naming the variable when SYNTH_DATE is not a day', () => {
    const run = () => runMain({ SYNTH_DATE: '2027-02-30' });
    expect(run).toThrow(/SYNTH_DATE: "2027-02-30" is not a day \(expected YYYY-MM-DD\)/);
  });
});
