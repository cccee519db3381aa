/**
 * `npm start`: the whole system on this machine, run as a stage, with its monitoring loop (the
 * stage's canaries on their schedules, its alarms, alarm emails into an outbox, its dashboard).
 * Options (or environment variables):
 *   --stage dev|prod       whose names, settings, canaries, alarms and dashboard (default dev)
 *   --time-scale N         simulated seconds per real second for the monitoring loop (default 60)
 *   --no-monitor           no canaries, alarms, emails or monitor: the system alone
 *   --new-stage            start as a stage's first deploy: the deploy alarm held from the
 *                          start and released once the system is up, as the pipeline does, and
 *                          each canary first running when Synthetics would start it (a rate at
 *                          once, a cron at its next time) instead of all at once
 *   --outbox DIR           where the alarm emails go (default .local/outbox/<stage>; with
 *                          --in-memory a new temporary folder)
 *   --in-memory            keep no data on disk and write no shared file: the function's logs
 *                          go to the terminal only, unless --log-file names a file
 *   --data-dir DIR         keep the data in DIR instead of .local/data (one `npm start` per DIR)
 *   --log-file FILE        append the function's JSON logs to FILE (default .local/lambda.log)
 *   --api-url URL          serve the website against a deployed API (MSGS_API_URL) instead of the
 *                          local one; no monitoring loop then
 *   WEBSITE_PORT, API_PORT, DYNAMODB_PORT, MONITOR_PORT   ports (defaults in
 *                          contract/local-ports.ts, listed at the end of --help)
 *   NO_COLOR               no colours (there are none either when the output is not a terminal)
 * Exits 2 with the usage line on an option or variable it cannot take, 1 when start-up fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { holdLifeline, StopRequest } from '../local/lifeline';
import { LOCAL_PORTS } from '../contract/local-ports';
import type { AccessLogEntry } from '../contract/logs';
import type { LocalSystem } from '../local/system';
import { colorFor, escapeControls, readableAccessLog, readableLogLine } from '../local/log-format';
import {
  decimalOption,
  parseCommandLine,
  usableFile,
  usableFolder,
  USAGE_EXIT_CODE,
  UsageError,
} from './usage';

// First, before the slow part of start-up loads: whatever ends start-up (a signal, npm stopped or
// killed) must find it listening, and abort what has started so far.
const lifeline = holdLifeline();

const USAGE =
  'Usage: npm start -- [--stage STAGE] [--time-scale N] [--no-monitor] [--new-stage] [--outbox DIR] [--in-memory] [--data-dir DIR] [--log-file FILE] [--api-url URL] (--help says what each does)';

/** The project's own variable for a deployed API: a generic API_URL in a shell must not switch modes. */
const REMOTE_API_VARIABLE = 'MSGS_API_URL';
/** How long stopping may take before the process exits anyway (the JVM's guard still ends it). */
const STOP_DEADLINE_MS = 15_000;

// A reader that went away (npm killed, a closed pipe) must not turn a write into a crash mid-stop.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

function say(stream: NodeJS.WriteStream, text: string): void {
  stream.write(`${text.split('\n').map(escapeControls).join('\n')}\n`);
}

function portFrom(variable: string): number | undefined {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  // Digits only: Number() would also take 0x50, 1e3 and ' 80'.
  if (!/^\d+$/.test(raw) || port > 65535)
    throw new UsageError(`${variable}="${raw}" is not a port number (0-65535)`);
  return port;
}

function stopRequested(): Promise<StopRequest> {
  const { signal } = lifeline;
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason as StopRequest);
    else
      signal.addEventListener('abort', () => resolve(signal.reason as StopRequest), { once: true });
  });
}

async function main(): Promise<void> {
  const { values } = parseCommandLine({
    options: {
      'in-memory': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'log-file': { type: 'string' },
      'api-url': { type: 'string' },
      stage: { type: 'string', default: 'dev' },
      'time-scale': { type: 'string' },
      'no-monitor': { type: 'boolean', default: false },
      'new-stage': { type: 'boolean', default: false },
      outbox: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      fs
        .readFileSync(__filename, 'utf8')
        .split('*/')[0]
        .replace(/^\/\*\*?/, '')
        .replace(/^ \* ?/gm, '')
        .trimEnd(),
    );
    process.stdout.write(
      `\nDefault ports: WEBSITE_PORT ${LOCAL_PORTS.website}, API_PORT ${LOCAL_PORTS.api}, DYNAMODB_PORT ${LOCAL_PORTS.dynamodb}, MONITOR_PORT ${LOCAL_PORTS.monitor}\n`,
    );
    return;
  }
  const remoteApiUrl = values['api-url'] ?? process.env[REMOTE_API_VARIABLE];
  if (remoteApiUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(remoteApiUrl)) {
    const source = values['api-url'] === undefined ? REMOTE_API_VARIABLE : '--api-url';
    throw new UsageError(`${source} "${remoteApiUrl}" is not an http(s) URL`);
  }
  const newStage = values['new-stage'];
  if (newStage && (remoteApiUrl !== undefined || values['no-monitor']))
    throw new UsageError(
      '--new-stage starts the monitoring loop as a new stage: not with --no-monitor or a deployed API',
    );
  const { STAGES } = await import('../stacks/config.js');
  const stage = STAGES.find((name) => name === values.stage);
  if (stage === undefined)
    throw new UsageError(`--stage "${values.stage}" is not a stage; use ${STAGES.join(' or ')}`);
  const { DEFAULT_TIME_SCALE } = await import('../local/monitored-system.js');
  const { TIME_SCALE_OPTION } = await import('@monitored/cloudwatch-local');
  const timeScale =
    values['time-scale'] === undefined
      ? DEFAULT_TIME_SCALE
      : decimalOption('--time-scale', values['time-scale'], TIME_SCALE_OPTION);
  // Read before anything starts, so that a bad one is refused with the rest of the command line.
  const ports = {
    website: portFrom('WEBSITE_PORT'),
    api: portFrom('API_PORT'),
    dynamodb: portFrom('DYNAMODB_PORT'),
  };
  const monitorPort = portFrom('MONITOR_PORT') ?? LOCAL_PORTS.monitor;
  const { DATA_DIR, LOCAL_DIR_SOURCE, LOG_FILE, OUTBOX_DIR } = await import('../local/paths.js');
  const inMemory = values['in-memory'];
  const ownDataDir = values['data-dir'];
  if (inMemory && ownDataDir !== undefined)
    throw new UsageError(
      '--in-memory keeps nothing on disk and --data-dir says where to: give one',
    );
  const monitor = remoteApiUrl === undefined && !values['no-monitor'];
  const dataDir = inMemory || remoteApiUrl !== undefined ? undefined : (ownDataDir ?? DATA_DIR);
  const dataSource = ownDataDir === undefined ? LOCAL_DIR_SOURCE : `--data-dir ${ownDataDir}`;
  // A data folder of its own keeps its function log and emails too, apart from another instance's.
  const logPath =
    values['log-file'] ??
    (inMemory
      ? undefined
      : ownDataDir === undefined
        ? LOG_FILE
        : path.join(ownDataDir, 'lambda.log'));
  const logSource = values['log-file'] === undefined ? dataSource : `--log-file ${logPath}`;
  // --in-memory writes nothing under .local: its emails go to the run's temporary folder.
  const outboxDir = !monitor
    ? undefined
    : (values.outbox ??
      (inMemory
        ? undefined
        : path.join(
            ownDataDir === undefined ? OUTBOX_DIR : path.join(ownDataDir, 'outbox'),
            stage,
          )));
  const outboxSource = values.outbox === undefined ? dataSource : `--outbox ${values.outbox}`;
  // Every folder and file is made or opened here, before anything starts: one that cannot be is
  // refused with the rest of the command line, naming where it came from.
  if (dataDir !== undefined) usableFolder(dataSource, dataDir);
  if (outboxDir !== undefined) usableFolder(outboxSource, outboxDir);
  if (logPath !== undefined) usableFile(logSource, logPath);

  const { ensureDynamoDbLocal } = await import('./ensure-dynamodb-local.js');
  if (remoteApiUrl === undefined) await ensureDynamoDbLocal(lifeline.signal);

  // A log file that cannot be written (a full disk) is said once; the logs go on in the terminal.
  let logFile = logPath === undefined ? undefined : fs.createWriteStream(logPath, { flags: 'a' });
  logFile?.on('error', (error) => {
    logFile = undefined;
    say(
      process.stderr,
      `Cannot write the function log to ${logPath}: ${error.message}; from now on it is in this terminal only.`,
    );
  });
  const color = colorFor(process.stdout, process.env);
  const started = performance.now();
  const systemOptions = {
    stage,
    ports,
    dataDir,
    signal: lifeline.signal,
    onNotice: (message: string) => say(process.stderr, message),
    onLogLine: (line: string) => {
      logFile?.write(`${line}\n`);
      const readable = readableLogLine(line, color);
      if (readable !== undefined) process.stdout.write(`${readable}\n`);
    },
    onAccessLog: (entry: AccessLogEntry) => {
      logFile?.write(`${JSON.stringify({ type: 'access', ...entry })}\n`);
      process.stdout.write(`${readableAccessLog(entry)}\n`);
    },
  };
  let system: Pick<LocalSystem, 'websiteUrl' | 'apiUrl' | 'tableName' | 'dynamodb' | 'stop'>;
  let monitorLines: string[] = [];
  if (monitor) {
    const { temporaryDir } = await import('../local/temp-space.js');
    const emailsDir = outboxDir ?? temporaryDir(`outbox-${stage}-`);
    const { startMonitoredSystem } = await import('../local/monitored-system.js');
    const { describeLoopEvent, describeSchedules } =
      await import('../local/monitoring/monitoring-loop.js');
    const { plural } = await import('@monitored/cloudwatch-model');
    let monitorUrl = '';
    const monitored = await startMonitoredSystem({
      ...systemOptions,
      timeScale,
      monitorPort,
      outboxDir: emailsDir,
      newStage,
      onMonitorEvent: (event) => {
        const line = describeLoopEvent(event, monitorUrl);
        if (line !== undefined)
          say(event.type === 'notice' ? process.stderr : process.stdout, line);
      },
    });
    monitorUrl = monitored.loop.url;
    // The system is up: the pipeline's smoke gate has passed, and it releases the hold.
    if (newStage) await monitored.loop.deployAlarm.release();
    system = { ...monitored.system, stop: () => monitored.stop() };
    monitorLines = [
      `  Monitor:  ${monitorUrl} (${stage}'s dashboard, alarms and canary runs; ${plural(timeScale, 'simulated second')} a second)`,
      `  Canaries: ${describeSchedules(Object.values(monitored.definitions.canaries), timeScale)}`,
      `  Outbox:   ${emailsDir} (the alarm emails, one .eml each${outboxDir === undefined ? '; removed at stop with the data, --outbox DIR keeps them' : ''})`,
    ];
  } else {
    const { startLocalSystem } = await import('../local/system.js');
    system = await startLocalSystem({ ...systemOptions, remoteApiUrl });
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  say(
    process.stdout,
    [
      `Ready in ${seconds} s.`,
      `  Website:  ${system.websiteUrl}`,
      `  API:      ${system.apiUrl}${remoteApiUrl === undefined ? '' : ' (deployed)'}`,
      ...(system.dynamodb === undefined
        ? []
        : [
            `  DynamoDB: ${system.dynamodb.endpoint} (table ${system.tableName}, ${dataDir === undefined ? 'in memory' : `data in ${dataDir}`})`,
          ]),
      ...(remoteApiUrl === undefined
        ? [
            logPath === undefined
              ? '  Function logs: this terminal only (--log-file FILE keeps them in full)'
              : `  Function logs in full: ${logPath}`,
          ]
        : []),
      ...monitorLines,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );

  const request = await stopRequested();
  say(process.stdout, `\n${request.why}: stopping… (Ctrl-C again to exit at once)`);
  setTimeout(() => {
    say(process.stderr, `Still stopping after ${STOP_DEADLINE_MS / 1000} s; exiting.`);
    process.exit(1);
  }, STOP_DEADLINE_MS).unref();
  await system.stop();
  await new Promise((resolve) =>
    logFile === undefined ? resolve(undefined) : logFile.end(resolve),
  );
  say(process.stdout, 'Stopped.');
  process.exit(0);
}

// A second signal while stopping: the person has stopped waiting. Exiting now still ends
// everything: the JVM's guard sees its pipe close and the function host its channel.
lifeline.onRepeatedSignal((signal) => {
  say(process.stderr, `${signal} again: exiting now.`);
  process.exit(1);
});

main().catch((error: unknown) => {
  if (lifeline.signal.aborted) {
    say(
      process.stdout,
      `Stopped during start-up (${(lifeline.signal.reason as StopRequest).why}).`,
    );
    process.exit(0);
  }
  if (error instanceof UsageError) {
    say(process.stderr, `${error.message}\n${USAGE}`);
    process.exit(USAGE_EXIT_CODE);
  }
  say(
    process.stderr,
    `npm start failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
