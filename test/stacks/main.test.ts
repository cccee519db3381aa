import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readZip } from '../../bundling/zip';

const ROOT = path.resolve(__dirname, '..', '..');

describe('main.ts', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    execFileSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir, ALERT_EMAILS: 'ops@example.com' },
      stdio: 'pipe',
    });
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  const stack = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));

  it('writes the stacks dev (us-west-2) and prod (us-east-1), and no other', () => {
    expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['dev', 'prod']);
    expect(stack('dev').provider.aws[0].region).toBe('us-west-2');
    expect(stack('prod').provider.aws[0].region).toBe('us-east-1');
  });

  it('keeps state locally by default, one file per stage', () => {
    expect(stack('dev').terraform.backend).toEqual({ local: { path: 'terraform.dev.tfstate' } });
    expect(stack('prod').terraform.backend).toEqual({ local: { path: 'terraform.prod.tfstate' } });
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

  it('uses an S3 backend with locking when TF_STATE_BUCKET is set', () => {
    const s3Outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-s3-'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
        cwd: ROOT,
        env: { ...process.env, CDKTF_OUTDIR: s3Outdir, TF_STATE_BUCKET: 'my-state' },
        stdio: 'pipe',
      });
      const prod = JSON.parse(
        fs.readFileSync(path.join(s3Outdir, 'stacks', 'prod', 'cdk.tf.json'), 'utf8'),
      );
      expect(prod.terraform.backend.s3).toEqual({
        bucket: 'my-state',
        key: 'msgs/prod.tfstate',
        region: 'us-east-1',
        encrypt: true,
        use_lockfile: true,
      });
    } finally {
      fs.rmSync(s3Outdir, { recursive: true, force: true });
    }
  });

  it('exits non-zero naming the variable when an alert email is malformed', () => {
    const run = () =>
      execFileSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          CDKTF_OUTDIR: fs.mkdtempSync(path.join(os.tmpdir(), 'synth-bad-')),
          ALERT_EMAILS_PROD: 'ops@example.com, not-an-email',
        },
        stdio: 'pipe',
      });
    expect(run).toThrow(/ALERT_EMAILS_PROD: "not-an-email" is not an email address/);
  });
});
