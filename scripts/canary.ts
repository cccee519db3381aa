/**
 * `npm run canary -- <website|api>`: runs a canary's zip as the Synthetics runtime would.
 *   --website-url URL --api-url URL   run against a deployed stage (WEBSITE_URL, API_URL work too)
 * Without URLs it starts the local system in memory and runs against that. Exits 1 when the run
 * fails or is stopped (Ctrl-C, SIGTERM: the run ends at once, its browser closed, and the system
 * stops), 2 on a command line it cannot take.
 */
import { holdLifeline, type StopRequest } from '../local/lifeline';
import { visibleText } from '@monitored/cloudwatch-model';
import { CANARY_ENV, CANARY_NAMES, type CanaryName } from '../contract/canaries';
import type { LocalSystem } from '../local/system';
import { httpUrl, parseCommandLine, readCommandLine, UsageError } from './usage';

// First, before the browser library, the bundler and the AWS SDK load: a Ctrl-C from the start
// stops what has started.
const lifeline = holdLifeline();

const USAGE = `Usage: npm run canary -- <${CANARY_NAMES.join('|')}> [--website-url URL --api-url URL]`;

interface CanaryArgs {
  readonly name: CanaryName;
  readonly websiteUrl?: string;
  readonly apiUrl?: string;
}

/** The URL from its flag, else from its variable (an empty one is no URL); checked, naming its source. */
function urlFrom(flag: string, fromFlag: string | undefined, variable: string): string | undefined {
  if (fromFlag !== undefined) return httpUrl(fromFlag, flag);
  const fromEnvironment = process.env[variable];
  return fromEnvironment ? httpUrl(fromEnvironment, variable) : undefined;
}

/** Reads the command line; a UsageError names what it cannot take. */
function readArguments(args: string[]): CanaryArgs | 'help' {
  const { values, positionals } = parseCommandLine({
    args,
    allowPositionals: true,
    options: {
      'website-url': { type: 'string' },
      'api-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  const [given, ...extra] = positionals;
  if (given === undefined)
    throw new UsageError(`Which canary? Name one: ${CANARY_NAMES.join(' or ')}`);
  const name = CANARY_NAMES.find((canary) => canary === given);
  if (name === undefined)
    throw new UsageError(`Which canary? "${given}" is none of ${CANARY_NAMES.join(', ')}`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument '${extra[0]}': name one canary`);
  const websiteUrl = urlFrom('--website-url', values['website-url'], CANARY_ENV.websiteUrl);
  const apiUrl = urlFrom('--api-url', values['api-url'], CANARY_ENV.apiUrl);
  // On AWS the stack gives every canary both addresses, and the journeys read both.
  if ((websiteUrl === undefined) !== (apiUrl === undefined)) {
    const missing =
      websiteUrl === undefined
        ? `--website-url (or ${CANARY_ENV.websiteUrl})`
        : `--api-url (or ${CANARY_ENV.apiUrl})`;
    throw new UsageError(
      `${missing} is missing: against a deployed stage a canary needs both URLs; with neither it runs against the local system.`,
    );
  }
  return { name, websiteUrl, apiUrl };
}

async function main(): Promise<number> {
  const read = readCommandLine(() => readArguments(process.argv.slice(2)), USAGE);
  if ('exitCode' in read) return read.exitCode;
  const parsed = read.args;
  const { name } = parsed;
  let { websiteUrl, apiUrl } = parsed;
  const { bundleCanaries } = await import('../bundling/canaries.js');
  const { localCanaryName, runCanary } = await import('../local/canary-runner.js');
  let system: LocalSystem | undefined;
  if (websiteUrl === undefined && apiUrl === undefined) {
    const { ensureDynamoDbLocal } = await import('./ensure-dynamodb-local.js');
    const { startLocalSystem } = await import('../local/system.js');
    await ensureDynamoDbLocal(lifeline.signal);
    system = await startLocalSystem({
      ports: { website: 0, api: 0, dynamodb: 0 },
      signal: lifeline.signal,
    });
    websiteUrl = system.websiteUrl;
    apiUrl = system.apiUrl;
    process.stdout.write(`Local system: ${websiteUrl} (API ${apiUrl})\n`);
  }
  try {
    const environment = Object.fromEntries(
      [
        [CANARY_ENV.websiteUrl, websiteUrl],
        [CANARY_ENV.apiUrl, apiUrl],
      ].filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    lifeline.signal.throwIfAborted();
    const run = await runCanary(bundleCanaries()[name], {
      canaryName: localCanaryName(name),
      environment,
      signal: lifeline.signal,
    });
    // The lines and errors quote what the system answered: shown, never acted on by the terminal.
    const say = (line: string) => process.stdout.write(`${visibleText(line)}\n`);
    for (const line of run.logs) say(`  ${line}`);
    for (const step of run.steps) {
      say(
        `${step.status === 'passed' ? 'PASS' : 'FAIL'} ${step.name} (${step.durationMs} ms)${step.error ? `: ${step.error}` : ''}`,
      );
    }
    say(run.passed ? `${run.canaryName} passed` : `${run.canaryName} failed: ${run.error}`);
    lifeline.signal.throwIfAborted();
    return run.passed ? 0 : 1;
  } finally {
    await system?.stop();
  }
}

// A second signal while stopping: the person has stopped waiting.
lifeline.onRepeatedSignal((signal) => {
  process.stderr.write(`${signal} again: exiting now.\n`);
  process.exit(1);
});

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (lifeline.signal.aborted) {
      process.stderr.write(
        `Canary run stopped (${(lifeline.signal.reason as StopRequest).why}).\n`,
      );
      process.exit(1);
    }
    process.stderr.write(
      `${visibleText(`canary run failed: ${error instanceof Error ? error.message : String(error)}`)}\n`,
    );
    process.exit(1);
  },
);
