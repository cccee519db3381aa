/**
 * `npm run drill`: an outage drill on this machine. Starts the system with its monitoring loop
 * (prod's definitions, fast simulated time, free ports, data in memory), waits for the journeys to
 * pass, breaks the API by stopping DynamoDB Local, waits for the "site down" email, restores it,
 * waits for the "OK" email, and prints how long detection and recovery took, in simulated minutes
 * (against the 10-minute goal) and in real seconds. Exits 0 only when both emails arrived.
 *   --stage dev|prod       whose definitions (default prod: the 10-minute goal is prod's)
 *   --time-scale N         simulated seconds per real second (default 60)
 *   --within SECONDS       the longest real wait for each step (default: two of the stage's API
 *                          canary intervals and five minutes, in real time at this scale, and
 *                          at least a minute)
 *   --outbox DIR           where the emails go (default .local/drills/<time>-<stage>)
 *   --hold                 after the result, keep the system and its monitor up (Ctrl-C ends it),
 *                          to look at the dashboard, the alarms and the canary runs of the drill
 * Exits 2 for arguments it cannot use, 1 when a step did not happen within its bound.
 */
import * as path from 'node:path';
import { holdLifeline, type StopRequest } from '../local/lifeline';
import { escapeControls, failureOf } from '../local/log-format';
import { decimalOption, parseCommandLine, usableFolder, UsageError } from './usage';

const lifeline = holdLifeline();

/** The goal the README sets: a full prod outage detected within 10 minutes. */
const DETECTION_GOAL_MINUTES = 10;
const MIN_WITHIN_SECONDS = 60;
const DEFAULT_DRILL_SCALE = 60;
const STOP_DEADLINE_MS = 15_000;

process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

function say(text: string, stream: NodeJS.WriteStream = process.stdout): void {
  stream.write(`${text.split('\n').map(escapeControls).join('\n')}\n`);
}

class DrillFailed extends Error {}

const minutes = (ms: number) => (ms / 60_000).toFixed(1);
const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function main(): Promise<number> {
  const { values } = parseCommandLine({
    options: {
      stage: { type: 'string', default: 'prod' },
      'time-scale': { type: 'string' },
      within: { type: 'string' },
      outbox: { type: 'string' },
      hold: { type: 'boolean', default: false },
    },
  });
  const { STAGES, stageConfigs } = await import('../stacks/config.js');
  const { MAX_TIMER_MS, TIME_SCALE_OPTION } = await import('@monitored/cloudwatch-local');
  const stage = STAGES.find((name) => name === values.stage);
  if (stage === undefined)
    throw new UsageError(`--stage "${values.stage}" is not a stage; use ${STAGES.join(' or ')}`);
  const config = stageConfigs({ alertEmails: { dev: [], prod: [] } })[stage];
  const timeScale =
    values['time-scale'] === undefined
      ? DEFAULT_DRILL_SCALE
      : decimalOption('--time-scale', values['time-scale'], TIME_SCALE_OPTION);
  const { scheduleInterval } = await import('@monitored/cloudwatch-model');
  const interval = scheduleInterval(config.canaries.api.expression);
  const apiIntervalSeconds = interval.kind === 'every' ? interval.seconds : 3600;
  // A wait is one timer: no longer than a timer holds (about 24.8 days, reached only at a scale
  // far below any drill's use).
  const longestWithinSeconds = Math.floor(MAX_TIMER_MS / 1000);
  // Detection takes up to an interval (the next run), its retries, a minute (the evaluation) and
  // another (the composite's WaitPeriod): two intervals and five minutes leave room.
  const withinSeconds =
    values.within === undefined
      ? Math.min(
          longestWithinSeconds,
          Math.max(MIN_WITHIN_SECONDS, Math.ceil((2 * apiIntervalSeconds + 300) / timeScale)),
        )
      : decimalOption('--within', values.within, {
          above: 0,
          atMost: longestWithinSeconds,
          unit: 'real seconds',
        });
  const withinMs = withinSeconds * 1000;

  const { LOCAL_DIR_SOURCE, OUTBOX_DIR } = await import('../local/paths.js');
  const outboxDir =
    values.outbox ??
    path.join(
      path.dirname(OUTBOX_DIR),
      'drills',
      `${new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z')}-${stage}`,
    );
  usableFolder(
    values.outbox === undefined ? LOCAL_DIR_SOURCE : `--outbox ${values.outbox}`,
    outboxDir,
  );
  const { ensureDynamoDbLocal } = await import('./ensure-dynamodb-local.js');
  await ensureDynamoDbLocal(lifeline.signal);
  const { startMonitoredSystem } = await import('../local/monitored-system.js');
  const { describeLoopEvent, describeRun } = await import('../local/monitoring/monitoring-loop.js');
  const { siteDownAlarmName } = await import('../stacks/monitoring/names.js');
  const { LoopWatcher } = await import('../local/monitoring/loop-watcher.js');

  const watcher = new LoopWatcher();
  // The function's last logged failure, said when a step fails: why the API still answers 503.
  let functionFailure: { readonly at: number; readonly text: string } | undefined;
  let showEvents = false;
  let monitorUrl = '';
  const { plural } = await import('@monitored/cloudwatch-model');
  say(
    `Drill: ${stage}'s monitoring at ${plural(timeScale, 'simulated second')} a second; each step waits at most ${withinSeconds} s.`,
  );
  const monitored = await startMonitoredSystem({
    stage,
    timeScale,
    ports: { website: 0, api: 0, dynamodb: 0 },
    monitorPort: 0,
    outboxDir,
    signal: lifeline.signal,
    onNotice: (message) => say(message, process.stderr),
    onLogLine: (line) => {
      const text = failureOf(line);
      if (text !== undefined) functionFailure = { at: Date.now(), text };
    },
    onMonitorEvent: (event) => {
      watcher.listener(event);
      if (!showEvents) return;
      const line = describeLoopEvent(event, monitorUrl);
      if (line !== undefined) say(`  ${line}`);
    },
  });
  monitorUrl = monitored.loop.url;
  const stopping = new Promise<never>((_, reject) =>
    lifeline.signal.addEventListener('abort', () => reject(lifeline.signal.reason), {
      once: true,
    }),
  );
  // A wait ends on its event, at its bound (a DrillFailed naming it), or when the drill is stopped.
  const step = <T>(waiting: Promise<T>) => {
    const began = Date.now();
    return Promise.race([waiting, stopping]).catch((error: unknown) => {
      if (lifeline.signal.aborted) throw error;
      const failure =
        functionFailure !== undefined && functionFailure.at >= began
          ? `\nThe function's last error, at ${new Date(functionFailure.at).toISOString().slice(11, 19)} (real time): ${functionFailure.text}`
          : '';
      throw new DrillFailed(`${error instanceof Error ? error.message : String(error)}${failure}`);
    });
  };
  const siteDown = siteDownAlarmName(config.namePrefix);
  try {
    say(`  Monitor: ${monitorUrl}   Outbox: ${outboxDir}`);
    const { clock } = monitored;
    const dynamodb = monitored.system.dynamodb;
    if (dynamodb === undefined) throw new DrillFailed('the system runs without DynamoDB Local');

    say('1. Waiting for the journeys to pass…');
    const canaries = Object.values(monitored.definitions.canaries).map((canary) => canary.name);
    for (const canary of canaries) {
      const run = await step(
        watcher.waitFor(`first run of ${canary}`, watcher.run(canary), { withinMs }),
      );
      if (!run.passed)
        throw new DrillFailed(
          `the journeys must pass before the drill breaks anything: ${describeRun(run)}`,
        );
    }
    await step(
      watcher.waitFor(`${siteDown} going to OK`, watcher.stateChange(siteDown, 'OK'), {
        withinMs,
      }),
    );
    say(`   Both journeys passed; ${siteDown} is OK.`);
    showEvents = true;

    const breakMark = watcher.mark;
    const brokenAt = { simulated: clock.now(), real: performance.now() };
    say(
      `2. Breaking the API: stopping DynamoDB Local (the supervisor leaves a requested stop alone).`,
    );
    await dynamodb.suspend();
    const alarm = await step(
      watcher.waitFor(`"site down" email after the API broke`, watcher.email(siteDown, 'ALARM'), {
        from: breakMark,
        withinMs,
      }),
    );
    // Timed when the email arrived, on the simulated clock, not by the minute stamped on it: under
    // load an evaluation runs late and may read a run the break failed, so its stamp can precede
    // the break.
    const detected = { simulated: clock.now(), real: performance.now() };
    say(`   "Site down" email: ${alarm.file}`);

    const restoreMark = watcher.mark;
    const restoredAt = { simulated: clock.now(), real: performance.now() };
    say('3. Restoring the API: starting DynamoDB Local again.');
    await dynamodb.resume();
    const ok = await step(
      watcher.waitFor(`"OK" email after the API was restored`, watcher.email(siteDown, 'OK'), {
        from: restoreMark,
        withinMs,
      }),
    );
    const recovered = { simulated: clock.now(), real: performance.now() };
    say(`   "OK" email: ${ok.file}`);
    showEvents = false;

    const detectMinutes = minutes(detected.simulated - brokenAt.simulated);
    const verdict =
      Number(detectMinutes) <= DETECTION_GOAL_MINUTES
        ? `within the ${DETECTION_GOAL_MINUTES}-minute goal`
        : `MISSES the ${DETECTION_GOAL_MINUTES}-minute goal`;
    say(
      [
        'Result:',
        `  time to detect:  ${detectMinutes} simulated minutes (${verdict}), ${seconds(detected.real - brokenAt.real)} s real`,
        `  time to recover: ${minutes(recovered.simulated - restoredAt.simulated)} simulated minutes, ${seconds(recovered.real - restoredAt.real)} s real`,
        `  Open the emails with any mail client: ${outboxDir}`,
      ].join('\n'),
    );
    if (values.hold) {
      say(`Holding: the monitor stays at ${monitorUrl} until Ctrl-C.`);
      await stopping.catch(() => undefined);
    }
    return 0;
  } finally {
    const deadline = setTimeout(() => {
      say(`Still stopping after ${STOP_DEADLINE_MS / 1000} s; exiting.`, process.stderr);
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    await monitored.stop();
    clearTimeout(deadline);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (lifeline.signal.aborted) {
      say(`Drill stopped (${(lifeline.signal.reason as StopRequest).why}).`, process.stderr);
      process.exit(1);
    }
    if (error instanceof UsageError) {
      say(
        `${error.message}\nUsage: npm run drill -- [--stage dev|prod] [--time-scale N] [--within SECONDS] [--outbox DIR] [--hold]`,
        process.stderr,
      );
      process.exit(2);
    }
    say(
      error instanceof DrillFailed
        ? `Drill failed: ${error.message}`
        : `Drill failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      process.stderr,
    );
    process.exit(1);
  },
);
