/**
 * `npm run status -- <dev|prod> [--outputs-file PATH]`: a deployed stage's health on one screen,
 * read from AWS with the caller's credentials and nothing written: each canary's state and last
 * runs, the alarms, the deploy alarm, the alarm emails still pending confirmation, the outputs and
 * the state lock. The outputs come from the stage's state (in TF_STATE_BUCKET, region
 * TF_STATE_REGION, as the deploy's backend; without it the local state file) or from a file
 * `cdktf deploy --outputs-file` wrote.
 *
 * Exits 0 when nothing needs attention, 1 when something does (or could not be read: access
 * denied, throttled after the SDK's retries, no credentials; each said in one line naming the
 * call), 2 on a command line it cannot take.
 */
import * as path from 'node:path';
import { ConfigError, STAGES, type Stage } from '../stacks/config';
import { parseRegion } from '../stacks/state/state-backend';
import { buildReport, renderReport } from '../tools/status/report';
import {
  awsClients,
  readStageHealth,
  statusTarget,
  type AwsClients,
  type TargetSettings,
} from '../tools/status/stage-health';
import { parseCommandLine, readCommandLine, UsageError } from './usage';

export const USAGE = `Usage: npm run status -- <${STAGES.join('|')}> [--outputs-file PATH]`;

const PROJECT_DIRECTORY = path.resolve(__dirname, '..');

interface StatusArgs {
  readonly stage: Stage;
  readonly settings: TargetSettings;
}

function readArguments(args: string[]): StatusArgs | 'help' {
  const { values, positionals } = parseCommandLine({
    args,
    allowPositionals: true,
    options: {
      'outputs-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  const [given, ...extra] = positionals;
  if (given === undefined) throw new UsageError(`Which stage? Name one: ${STAGES.join(' or ')}`);
  const stage = STAGES.find((candidate) => candidate === given);
  if (stage === undefined)
    throw new UsageError(`Which stage? "${given}" is none of ${STAGES.join(', ')}`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument '${extra[0]}': name one stage`);
  let stateRegion: string | undefined;
  try {
    stateRegion = parseRegion(process.env.TF_STATE_REGION, 'TF_STATE_REGION');
  } catch (error: unknown) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const bucket = process.env.TF_STATE_BUCKET?.trim();
  return {
    stage,
    settings: {
      stateBucket: bucket === '' ? undefined : bucket,
      stateRegion,
      outputsFile: values['outputs-file'],
      projectDirectory: PROJECT_DIRECTORY,
    },
  };
}

/**
 * Runs status for `argv` against `clients` and writes the report; returns the exit code. The
 * script passes AWS's clients and the clock; tests pass mocked clients and a fixed day.
 */
export async function runStatus(
  argv: string[],
  clients: AwsClients,
  now: () => Date = () => new Date(),
): Promise<number> {
  const command = readCommandLine(() => readArguments(argv), USAGE);
  if ('exitCode' in command) return command.exitCode;
  const { stage, settings } = command.args;
  const health = await readStageHealth(statusTarget(stage, settings), clients);
  const report = buildReport(health, now());
  process.stdout.write(renderReport(report));
  return report.attention === 0 ? 0 : 1;
}

if (require.main === module) {
  runStatus(process.argv.slice(2), awsClients()).then(
    (code) => process.exit(code),
    (error: unknown) => {
      // Every AWS call's failure is caught and reported; this is for anything else, in one line.
      process.stderr.write(`status: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
