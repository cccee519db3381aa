/**
 * `npm run canary -- <website|api>`: runs a canary's zip as the Synthetics runtime would.
 *   --website-url URL --api-url URL   run against a deployed stage (WEBSITE_URL, API_URL work too)
 * Without URLs it starts the local system in memory and runs against that. Exits 1 when the run fails.
 */
import { parseArgs } from 'node:util';
import { bundleCanaries } from '../bundling/canaries';
import { CANARY_ENV, CANARY_NAMES, type CanaryName } from '../contract/canaries';
import { localCanaryName, runCanary } from '../local/canary-runner';
import { startLocalSystem, type LocalSystem } from '../local/system';
import { ensureDynamoDbLocal } from './ensure-dynamodb-local';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'website-url': { type: 'string' }, 'api-url': { type: 'string' } },
  });
  const usage = `npm run canary -- <${CANARY_NAMES.join('|')}> [--website-url URL --api-url URL]`;
  const name = positionals[0] as CanaryName | undefined;
  if (name === undefined || !CANARY_NAMES.includes(name)) {
    process.stderr.write(`Which canary? ${usage}\n`);
    return 2;
  }
  // An empty variable is no URL.
  let websiteUrl = values['website-url'] ?? (process.env[CANARY_ENV.websiteUrl] || undefined);
  let apiUrl = values['api-url'] ?? (process.env[CANARY_ENV.apiUrl] || undefined);
  // On AWS the stack gives every canary both addresses, and the journeys read both.
  if ((websiteUrl === undefined) !== (apiUrl === undefined)) {
    const missing =
      websiteUrl === undefined
        ? `--website-url (or ${CANARY_ENV.websiteUrl})`
        : `--api-url (or ${CANARY_ENV.apiUrl})`;
    process.stderr.write(
      `${missing} is missing: against a deployed stage a canary needs both URLs; with neither it runs against the local system.\n${usage}\n`,
    );
    return 2;
  }
  let system: LocalSystem | undefined;
  if (websiteUrl === undefined && apiUrl === undefined) {
    ensureDynamoDbLocal();
    system = await startLocalSystem({ ports: { website: 0, api: 0, dynamodb: 0 } });
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
    const run = await runCanary(bundleCanaries()[name], {
      canaryName: localCanaryName(name),
      environment,
    });
    for (const line of run.logs) process.stdout.write(`  ${line}\n`);
    for (const step of run.steps) {
      process.stdout.write(
        `${step.status === 'passed' ? 'PASS' : 'FAIL'} ${step.name} (${step.durationMs} ms)${step.error ? `: ${step.error}` : ''}\n`,
      );
    }
    process.stdout.write(
      run.passed ? `${run.canaryName} passed\n` : `${run.canaryName} failed: ${run.error}\n`,
    );
    return run.passed ? 0 : 1;
  } finally {
    await system?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `canary run failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
