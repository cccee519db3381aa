/**
 * `npm start`: the whole system on this machine. Options (or environment variables):
 *   --in-memory            keep no data on disk and write no shared file: the function's logs
 *                          go to the terminal only, unless --log-file names a file
 *   --data-dir DIR         keep the data in DIR instead of .local/data (one `npm start` per DIR)
 *   --log-file FILE        append the function's JSON logs to FILE (default .local/lambda.log)
 *   --api-url URL          serve the website against a deployed API (MSGS_API_URL) instead of the local one
 *   WEBSITE_PORT, API_PORT, DYNAMODB_PORT   ports (default 8080, 3000, 8000)
 *   NO_COLOR               no colours (there are none either when the output is not a terminal)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { holdLifeline, StopRequest } from '../local/lifeline';
import { colorFor, escapeControls, readableAccessLog, readableLogLine } from '../local/log-format';

// First, before the slow part of start-up loads: whatever ends start-up (a signal, npm stopped or
// killed) must find it listening, and abort what has started so far.
const lifeline = holdLifeline();

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
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${variable}="${raw}" is not a port number (0-65535)`);
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
  const { values } = parseArgs({
    options: {
      'in-memory': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'log-file': { type: 'string' },
      'api-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      fs
        .readFileSync(__filename, 'utf8')
        .split('*/')[0]
        .replace(/^\/\*\*?/, '')
        .replace(/^ \* ?/gm, ''),
    );
    return;
  }
  const remoteApiUrl = values['api-url'] ?? process.env[REMOTE_API_VARIABLE];
  if (remoteApiUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(remoteApiUrl)) {
    throw new Error(`--api-url "${remoteApiUrl}" is not an http(s) URL`);
  }
  const { DATA_DIR, LOG_FILE } = await import('../local/paths.js');
  const { ensureDynamoDbLocal } = await import('./ensure-dynamodb-local.js');
  if (remoteApiUrl === undefined) ensureDynamoDbLocal();

  const inMemory = values['in-memory'];
  const dataDir = inMemory ? undefined : (values['data-dir'] ?? DATA_DIR);
  const logPath = values['log-file'] ?? (inMemory ? undefined : LOG_FILE);
  if (logPath !== undefined) fs.mkdirSync(path.dirname(logPath), { recursive: true });
  const logFile = logPath === undefined ? undefined : fs.createWriteStream(logPath, { flags: 'a' });
  const color = colorFor(process.stdout, process.env);
  const started = performance.now();
  const { startLocalSystem } = await import('../local/system.js');
  const system = await startLocalSystem({
    ports: {
      website: portFrom('WEBSITE_PORT'),
      api: portFrom('API_PORT'),
      dynamodb: portFrom('DYNAMODB_PORT'),
    },
    dataDir,
    remoteApiUrl,
    signal: lifeline.signal,
    onNotice: (message) => say(process.stderr, message),
    onLogLine: (line) => {
      logFile?.write(`${line}\n`);
      const readable = readableLogLine(line, color);
      if (readable !== undefined) process.stdout.write(`${readable}\n`);
    },
    onAccessLog: (entry) => {
      logFile?.write(`${JSON.stringify({ type: 'access', ...entry })}\n`);
      process.stdout.write(`${readableAccessLog(entry)}\n`);
    },
  });
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
  say(
    process.stderr,
    `npm start failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
