/**
 * `npm run deploy-alarm -- <dev|prod> <set|clear> [--reason "..."] [--dry-run]`: holds a stage's
 * "deploy in progress" alarm in ALARM for a deploy (set) or releases it (clear). While it is in
 * ALARM the stage's "site down" composite sends nothing; for hours after either, its "deployed
 * recently" alarm keeps a canary that has not run yet from paging.
 *
 * The hold is data, not a state set by hand (packages/cloudwatch-model/src/deploy-hold.ts says why and how):
 * both commands read the last 4 hours of the stage's `msgs-<stage>` `DeployInProgress` metric
 * (`aws cloudwatch get-metric-statistics`), then send what the hold or the release needs
 * (`aws cloudwatch put-metric-data`). So `set` works before the stage's first deploy has created
 * the alarm, and a hold that nobody releases ends by itself 2 hours after it was taken.
 *
 * The stage's region and the metric come from the stage config and the metric catalogue, never a
 * copy. Runs the AWS CLI with the caller's credentials; `--dry-run` prints the commands instead
 * (the release's depends on what the first returns). Exits 2 on bad arguments, 1 when the AWS CLI
 * is missing, refuses or answers what it cannot read, 0 otherwise (also for a release with nothing
 * to release, which still marks the end of the deploy). `--reason` is printed with the result: a
 * datapoint carries no text.
 */
import { spawnSync } from 'node:child_process';
import { STAGES, stageConfigs, type Stage } from '../stacks/config';
import {
  heldMinutes,
  holdDatapoints,
  holdExpiresAt,
  holdLookback,
  releaseDatapoints,
  type HoldDatapoint,
  type MinuteSum,
  deployInProgressMetric,
  type MetricSpec,
} from '@monitored/cloudwatch-model';
import { deployAlarmName, deployedRecentlyAlarmName } from '../stacks/monitoring/names';
import { parseCommandLine, UsageError } from './usage';

export const ACTIONS = ['set', 'clear'] as const;
export type DeployAlarmAction = (typeof ACTIONS)[number];

export const USAGE = `npm run deploy-alarm -- <${STAGES.join('|')}> <${ACTIONS.join('|')}> [--reason "why"] [--dry-run]`;

/** The longest reason taken (SetAlarmState's limit, which the pipeline's reasons were written for). */
const MAX_REASON = 1023;

interface Target {
  readonly stage: Stage;
  readonly region: string;
  readonly alarm: string;
  /** The alarm that counts from each hold and release. */
  readonly deployedRecently: string;
  /** The stage's own namespace: its deploy role may send to it and to no other stage's. */
  readonly metric: MetricSpec<never>;
}

function targetOf(stage: Stage): Target {
  // Only the region and the name prefix are read; alert emails play no part here.
  const config = stageConfigs({ alertEmails: { dev: [], prod: [] } })[stage];
  return {
    stage,
    region: config.region,
    alarm: deployAlarmName(config.namePrefix),
    deployedRecently: deployedRecentlyAlarmName(config.namePrefix),
    metric: deployInProgressMetric(config.namePrefix),
  };
}

const iso = (time: number) => new Date(time).toISOString().replace('.000Z', 'Z');
const clock = (time: number) => `${iso(time).slice(11, 16)} UTC`;

/** The `aws` arguments that read the stage's hold minutes still in the alarm's window. */
function readCommand(target: Target, now: number): string[] {
  const { start, end } = holdLookback(now);
  return [
    'cloudwatch',
    'get-metric-statistics',
    '--region',
    target.region,
    '--namespace',
    target.metric.namespace,
    '--metric-name',
    target.metric.name,
    '--start-time',
    iso(start),
    '--end-time',
    iso(end),
    '--period',
    '60',
    '--statistics',
    'Sum',
    '--output',
    'json',
  ];
}

/** The `aws` arguments that send `datapoints` for the stage. */
function sendCommand(target: Target, datapoints: readonly HoldDatapoint[]): string[] {
  return [
    'cloudwatch',
    'put-metric-data',
    '--region',
    target.region,
    '--namespace',
    target.metric.namespace,
    '--metric-data',
    JSON.stringify(
      datapoints.map(({ timestamp, value }) => ({
        MetricName: target.metric.name,
        Timestamp: iso(timestamp),
        Value: value,
        Unit: target.metric.unit,
      })),
    ),
  ];
}

/**
 * The minutes' Sums in get-metric-statistics' JSON answer (`{"Datapoints": [{"Timestamp",
 * "Sum", …}]}`, in no particular order), or an error naming what is wrong with it. The CLI prints
 * a time stamp as ISO 8601 (v2's default `cli_timestamp_format`) or as the service sent it (v1's
 * `none`: epoch seconds, from CloudWatch's JSON protocol).
 */
export function readSums(answer: string): MinuteSum[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer);
  } catch {
    throw new Error(`its answer is not JSON: ${answer.slice(0, 200)}`);
  }
  const datapoints = (parsed as { Datapoints?: unknown } | null)?.Datapoints;
  if (!Array.isArray(datapoints)) throw new Error('its answer has no Datapoints list');
  return datapoints.map((datapoint: unknown) => {
    const { Timestamp, Sum } = (datapoint ?? {}) as { Timestamp?: unknown; Sum?: unknown };
    const timestamp =
      typeof Timestamp === 'number'
        ? Timestamp * 1000
        : typeof Timestamp === 'string'
          ? /^\d+(\.\d+)?$/.test(Timestamp)
            ? Number(Timestamp) * 1000
            : Date.parse(Timestamp)
          : NaN;
    if (!Number.isFinite(timestamp) || typeof Sum !== 'number')
      throw new Error(`a datapoint has no Timestamp and Sum: ${JSON.stringify(datapoint)}`);
    return { timestamp, sum: Sum };
  });
}

/** A POSIX shell spelling of a command, for `--dry-run` and error messages. */
function shellQuote(args: readonly string[]): string {
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

/** A failure to report (exit 1), already worded. */
class AwsError extends Error {}

/** Runs `aws` with `args`; its stdout, or an AwsError saying what went wrong. */
function aws(args: readonly string[]): string {
  const command = shellQuote(['aws', ...args]);
  const result = spawnSync('aws', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error !== undefined) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new AwsError(
      missing
        ? 'the AWS CLI (aws) is not on PATH. Install AWS CLI v2 ' +
            '(https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html), ' +
            `or run this where it is:\n  ${command}`
        : `could not run aws: ${result.error.message}`,
    );
  }
  if (result.status !== 0)
    throw new AwsError(
      `aws exited with ${result.status ?? result.signal}: ${result.stderr.trim()}\n  ${command}`,
    );
  return result.stdout;
}

function dryRun(target: Target, action: DeployAlarmAction, now: number): string {
  const read = shellQuote(['aws', ...readCommand(target, now)]);
  if (action === 'set')
    return `${read}\n${shellQuote(['aws', ...sendCommand(target, holdDatapoints([], now))])}\n`;
  const example = sendCommand(
    target,
    releaseDatapoints([{ timestamp: holdLookback(now).start, sum: 1 }], now),
  );
  return (
    `${read}\n` +
    `# then, for each minute it returns whose Sum is not 0, that minute with the opposite value, and a 0 at the current minute (the end of the deploy), e.g.:\n` +
    `# ${shellQuote(['aws', ...example])}\n`
  );
}

function run(target: Target, action: DeployAlarmAction, now: number, reason?: string): string {
  let sums: MinuteSum[];
  try {
    sums = readSums(aws(readCommand(target, now)));
  } catch (error: unknown) {
    if (error instanceof AwsError) throw error;
    throw new AwsError(
      `could not read get-metric-statistics' answer: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const because = reason === undefined ? '' : ` Reason: ${reason}`;
  const where = `${target.alarm} (${target.region})`;
  if (action === 'set') {
    const repairs = sums.filter((minute) => minute.sum < 0).length;
    aws(sendCommand(target, holdDatapoints(sums, now)));
    return (
      `${where} held from ${clock(now)}: in ALARM within about a minute (or once this deploy creates it), ` +
      `until \`npm run deploy-alarm -- ${target.stage} clear\` or ${clock(holdExpiresAt(now))}.` +
      `${repairs > 0 ? ` Repaired ${repairs} minute(s) an earlier release over-released.` : ''}${because}\n`
    );
  }
  const release = releaseDatapoints(sums, now);
  const held = heldMinutes(sums);
  aws(sendCommand(target, release));
  const ended = `the deploy's end marked for ${target.deployedRecently}.`;
  if (release.length === 1)
    return `${where}: no hold in the last 2 hours, nothing to release; ${ended}${because}\n`;
  const what =
    held.length === 0
      ? 'no hold, only minutes an earlier release over-released'
      : `${held.length === 1 ? 'the hold' : `${held.length} holds`} taken at ${held.map(clock).join(', ')}`;
  return `${where} released (${what}): OK within about a minute; ${ended}${because}\n`;
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
  const target = targetOf(request.stage);
  const now = Date.now();
  if (request.dryRun) {
    process.stdout.write(dryRun(target, request.action, now));
    return 0;
  }
  try {
    process.stdout.write(run(target, request.action, now, request.reason));
    return 0;
  } catch (error: unknown) {
    if (!(error instanceof AwsError)) throw error;
    process.stderr.write(`deploy-alarm: ${error.message}\n`);
    return 1;
  }
}

if (require.main === module) {
  process.exit(main(process.argv.slice(2)));
}
