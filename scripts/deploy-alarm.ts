/**
 * `npm run deploy-alarm -- <dev|prod> <set|clear> [--reason "..."] [--dry-run]`: holds a stage's
 * "deploy in progress" alarm in ALARM (set) or returns it to OK (clear). While it is in ALARM the
 * stage's "site down" composite alarm sends nothing, so a deploy does not page anyone; the alarm
 * has no data of its own, so it stays where this command puts it.
 *
 * The stage's region and the alarm's name come from the stage config and the monitoring names,
 * never a copy. Runs the AWS CLI with the caller's credentials; `--dry-run` prints the command.
 * Exits 2 on bad arguments, 1 when the AWS CLI is missing or refuses, 0 when the alarm does not
 * exist yet (a stage's first deploy creates it: there is nothing to silence before).
 */
import { spawnSync } from 'node:child_process';
import { STAGES, stageConfigs, type Stage } from '../stacks/config';
import { deployAlarmName } from '../stacks/monitoring/names';
import { parseCommandLine, UsageError } from './usage';

export const ACTIONS = ['set', 'clear'] as const;
export type DeployAlarmAction = (typeof ACTIONS)[number];

export const USAGE = `npm run deploy-alarm -- <${STAGES.join('|')}> <${ACTIONS.join('|')}> [--reason "why"] [--dry-run]`;

/** PutMetricAlarm and SetAlarmState take a reason of at most 1,023 characters. */
const MAX_REASON = 1023;

const STATE: Record<DeployAlarmAction, 'ALARM' | 'OK'> = { set: 'ALARM', clear: 'OK' };

/** The `aws` arguments that put the stage's deploy alarm into the action's state. */
export function deployAlarmCommand(
  stage: Stage,
  action: DeployAlarmAction,
  reason?: string,
): string[] {
  // Only the region and the name prefix are read; alert emails play no part here.
  const config = stageConfigs({ alertEmails: { dev: [], prod: [] } })[stage];
  return [
    'cloudwatch',
    'set-alarm-state',
    '--region',
    config.region,
    '--alarm-name',
    deployAlarmName(config.namePrefix),
    '--state-value',
    STATE[action],
    '--state-reason',
    reason ?? (action === 'set' ? `Deploy of ${stage} in progress` : `Deploy of ${stage} finished`),
  ];
}

/** A POSIX shell spelling of a command, for `--dry-run` and error messages. */
export function shellQuote(args: readonly string[]): string {
  return args
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

function parse(argv: readonly string[]): {
  stage: Stage;
  action: DeployAlarmAction;
  reason?: string;
  dryRun: boolean;
} {
  const parsed = parseCommandLine({
    args: [...argv],
    allowPositionals: true,
    options: { reason: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  const [stage, action, ...rest] = parsed.positionals;
  if (!STAGES.includes(stage as Stage)) {
    throw new UsageError(stage === undefined ? 'no stage given' : `unknown stage "${stage}"`);
  }
  if (!ACTIONS.includes(action as DeployAlarmAction)) {
    throw new UsageError(action === undefined ? 'no action given' : `unknown action "${action}"`);
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const reason = parsed.values.reason;
  if (reason !== undefined && (reason.trim() === '' || reason.length > MAX_REASON)) {
    throw new UsageError(`--reason must be 1 to ${MAX_REASON} characters`);
  }
  return {
    stage: stage as Stage,
    action: action as DeployAlarmAction,
    reason,
    dryRun: parsed.values['dry-run'] ?? false,
  };
}

function main(argv: readonly string[]): number {
  let request;
  try {
    request = parse(argv);
  } catch (error: unknown) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`deploy-alarm: ${error.message}\nUsage: ${USAGE}\n`);
    return 2;
  }
  const args = deployAlarmCommand(request.stage, request.action, request.reason);
  const command = shellQuote(['aws', ...args]);
  if (request.dryRun) {
    process.stdout.write(`${command}\n`);
    return 0;
  }
  const result = spawnSync('aws', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error !== undefined) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    process.stderr.write(
      missing
        ? 'deploy-alarm: the AWS CLI (aws) is not on PATH. Install AWS CLI v2 ' +
            '(https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html), ' +
            `or run this where it is:\n  ${command}\n`
        : `deploy-alarm: could not run aws: ${result.error.message}\n`,
    );
    return 1;
  }
  const alarm = args[args.indexOf('--alarm-name') + 1];
  const region = args[args.indexOf('--region') + 1];
  if (result.status !== 0) {
    // The alarm comes with the stage's first deploy: before it, nothing can page, so nothing to hold.
    if (/\(ResourceNotFound\)/.test(result.stderr)) {
      process.stderr.write(
        `deploy-alarm: no alarm ${alarm} in ${region} yet (the stage's first deploy creates it); nothing to ${request.action}\n`,
      );
      return 0;
    }
    process.stderr.write(
      `deploy-alarm: aws exited with ${result.status ?? result.signal}: ${result.stderr.trim()}\n  ${command}\n`,
    );
    return 1;
  }
  process.stdout.write(`${alarm} (${region}) is ${STATE[request.action]}\n`);
  return 0;
}

if (require.main === module) {
  process.exit(main(process.argv.slice(2)));
}
