import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { STAGES, stageConfigs } from '../../stacks/config';
import { deployAlarmName } from '../../stacks/monitoring/names';
import { runScript } from '../support/processes';

const USAGE = 'Usage: npm run deploy-alarm -- <dev|prod> <set|clear> [--reason "why"] [--dry-run]';
const configs = stageConfigs({ alertEmails: { dev: [], prod: [] } });

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A PATH holding node and, when given, an `aws` that stands in for the AWS CLI: the real one
 * would need an account. It records its arguments and answers as `aws` says.
 */
function pathWith(aws?: { exitCode: number; stderr?: string }): { PATH: string; argsFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-alarm-'));
  dirs.push(dir);
  fs.symlinkSync(process.execPath, path.join(dir, 'node'));
  const argsFile = path.join(dir, 'args.json');
  if (aws !== undefined) {
    fs.writeFileSync(
      path.join(dir, 'aws'),
      [
        '#!/usr/bin/env node',
        `require('node:fs').writeFileSync(${JSON.stringify(argsFile)}, JSON.stringify(process.argv.slice(2)));`,
        `process.stderr.write(${JSON.stringify(aws.stderr ?? '')});`,
        `process.exit(${aws.exitCode});`,
      ].join('\n'),
      { mode: 0o755 },
    );
  }
  return { PATH: dir, argsFile };
}

describe('npm run deploy-alarm', () => {
  it.each(
    STAGES.flatMap((stage) => [[stage, 'set', 'ALARM'] as const, [stage, 'clear', 'OK'] as const]),
  )(
    '--dry-run prints the command for %s %s, with the region and alarm name of the stage config',
    async (stage, action, state) => {
      const { code, output } = await runScript('deploy-alarm', [stage, action, '--dry-run']);
      expect(code).toBe(0);
      const reason = action === 'set' ? 'in progress' : 'finished';
      expect(output).toBe(
        `aws cloudwatch set-alarm-state --region ${configs[stage].region} --alarm-name ${deployAlarmName(configs[stage].namePrefix)} --state-value ${state} --state-reason 'Deploy of ${stage} ${reason}'\n`,
      );
    },
  );

  it('quotes a reason for the shell in --dry-run', async () => {
    const { output } = await runScript('deploy-alarm', [
      'prod',
      'set',
      '--reason',
      "it's $HOME; `x`",
      '--dry-run',
    ]);
    expect(output).toContain(`--state-reason 'it'\\''s $HOME; \`x\`'\n`);
  });

  it('runs the AWS CLI with the reason as one argument, never through a shell', async () => {
    const { PATH, argsFile } = pathWith({ exitCode: 0 });
    const reason = 'Deploying abc123; $(rm -rf /) "quoted"';
    const { code, output } = await runScript('deploy-alarm', ['dev', 'set', '--reason', reason], {
      PATH,
    });
    expect(code).toBe(0);
    expect(JSON.parse(fs.readFileSync(argsFile, 'utf8'))).toEqual([
      'cloudwatch',
      'set-alarm-state',
      '--region',
      'us-west-2',
      '--alarm-name',
      'msgs-dev-deploy-in-progress',
      '--state-value',
      'ALARM',
      '--state-reason',
      reason,
    ]);
    expect(output).toBe('msgs-dev-deploy-in-progress (us-west-2) is ALARM\n');
  });

  it("succeeds, saying so, when the stage's first deploy has not created the alarm yet", async () => {
    const { PATH } = pathWith({
      exitCode: 254,
      stderr:
        '\nAn error occurred (ResourceNotFound) when calling the SetAlarmState operation: Alarm msgs-prod-deploy-in-progress not found\n',
    });
    const { code, output } = await runScript('deploy-alarm', ['prod', 'set'], { PATH });
    expect(code).toBe(0);
    expect(output).toContain(
      "no alarm msgs-prod-deploy-in-progress in us-east-1 yet (the stage's first deploy creates it); nothing to set",
    );
  });

  it('exits 1 with the AWS error when AWS refuses', async () => {
    const denied =
      'An error occurred (AccessDenied) when calling the SetAlarmState operation: User is not authorized to perform: cloudwatch:SetAlarmState';
    const { PATH } = pathWith({ exitCode: 254, stderr: denied });
    const { code, output } = await runScript('deploy-alarm', ['dev', 'clear'], { PATH });
    expect(code).toBe(1);
    expect(output).toContain(`deploy-alarm: aws exited with 254: ${denied}`);
  });

  it('exits 1 naming the AWS CLI when it is not on PATH', async () => {
    const { PATH } = pathWith();
    const { code, output } = await runScript('deploy-alarm', ['dev', 'set'], { PATH });
    expect(code).toBe(1);
    expect(output).toContain('the AWS CLI (aws) is not on PATH');
    expect(output).toContain('aws cloudwatch set-alarm-state --region us-west-2');
  });

  it.each([
    ['no arguments', [], 'no stage given'],
    ['an unknown stage', ['staging', 'set'], 'unknown stage "staging"'],
    ['no action', ['dev'], 'no action given'],
    ['an unknown action', ['dev', 'toggle'], 'unknown action "toggle"'],
    ['an extra argument', ['dev', 'set', 'now'], 'unexpected argument "now"'],
    ['an unknown option', ['dev', 'set', '--force'], "Unknown option '--force'"],
    ['an empty reason', ['dev', 'set', '--reason', ' '], '--reason must be 1 to 1023 characters'],
    [
      'a reason over 1,023 characters',
      ['dev', 'set', '--reason', 'x'.repeat(1024)],
      '--reason must be 1 to 1023 characters',
    ],
  ])('exits 2 with the usage line for %s', async (_case, args, problem) => {
    const { PATH, argsFile } = pathWith({ exitCode: 0 });
    const { code, output } = await runScript('deploy-alarm', args, { PATH });
    expect(code).toBe(2);
    expect(output).toContain(problem);
    expect(output).toContain(USAGE);
    expect(fs.existsSync(argsFile)).toBe(false);
  });
});
