// @tier e2e
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

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

describe('main.ts, run as cdktf runs it', () => {
  it('writes the stacks dev, prod and bootstrap, and no other', () => {
    const outdir = runMain({ ALERT_EMAILS: 'ops@example.com' });
    expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual([
      'bootstrap',
      'dev',
      'prod',
    ]);
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

  // buildApp's tests check where the state files go (test/stacks/app.test.ts); git decides this.
  it('keeps the local state files it names out of git', () => {
    for (const name of ['dev', 'prod', 'bootstrap']) {
      expect(() =>
        execFileSync('git', ['check-ignore', '-q', `terraform.${name}.tfstate`], { cwd: ROOT }),
      ).not.toThrow();
    }
  });

  it('exits non-zero when a setting cannot be used', () => {
    expect(() => runMain({ SYNTH_DATE: '2027-02-30' })).toThrow(/SYNTH_DATE: "2027-02-30"/);
  });
});
