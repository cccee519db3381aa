/**
 * `npm start`: the whole system on this machine. Options (or environment variables):
 *   --in-memory            keep no data on disk (default: .local/data, kept across restarts)
 *   --data-dir DIR         keep the data in DIR instead of .local/data
 *   --log-file FILE        write the function's JSON logs to FILE (default .local/lambda.log)
 *   --api-url URL          serve the website against a deployed API (API_URL) instead of the local one
 *   WEBSITE_PORT, API_PORT, DYNAMODB_PORT   ports (default 8080, 3000, 8000)
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { readableAccessLog, readableLogLine } from '../local/log-format';
import { DATA_DIR, LOG_FILE } from '../local/paths';
import { startLocalSystem } from '../local/system';
import { ensureDynamoDbLocal } from './ensure-dynamodb-local';

function portFrom(variable: string): number | undefined {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${variable}="${raw}" is not a port number (0-65535)`);
  return port;
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
  const remoteApiUrl = values['api-url'] ?? process.env.API_URL;
  if (remoteApiUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(remoteApiUrl)) {
    throw new Error(`--api-url "${remoteApiUrl}" is not an http(s) URL`);
  }
  if (remoteApiUrl === undefined) ensureDynamoDbLocal();

  const dataDir = values['data-dir'] ?? DATA_DIR;
  fs.mkdirSync(dataDir, { recursive: true });
  const logPath = values['log-file'] ?? LOG_FILE;
  const logFile = fs.createWriteStream(logPath, { flags: 'a' });
  const color = process.stdout.isTTY;
  const started = performance.now();
  const system = await startLocalSystem({
    ports: {
      website: portFrom('WEBSITE_PORT'),
      api: portFrom('API_PORT'),
      dynamodb: portFrom('DYNAMODB_PORT'),
    },
    dataDir: values['in-memory'] ? undefined : dataDir,
    remoteApiUrl,
    onLogLine: (line) => {
      logFile.write(`${line}\n`);
      process.stdout.write(`${readableLogLine(line, color)}\n`);
    },
    onAccessLog: (entry) => {
      logFile.write(`${JSON.stringify({ type: 'access', ...entry })}\n`);
      process.stdout.write(`${readableAccessLog(entry)}\n`);
    },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    [
      `Ready in ${seconds} s.`,
      `  Website:  ${system.websiteUrl}`,
      `  API:      ${system.apiUrl}${remoteApiUrl === undefined ? '' : ' (deployed)'}`,
      ...(system.dynamodb === undefined
        ? []
        : [
            `  DynamoDB: ${system.dynamodb.endpoint} (table ${system.tableName}, ${values['in-memory'] ? 'in memory' : `data in ${dataDir}`})`,
          ]),
      ...(remoteApiUrl === undefined ? [`  Function logs in full: ${logPath}`] : []),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping…\n`);
    void system.stop().then(() => {
      logFile.end();
      process.stdout.write('Stopped.\n');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  // `npm start` runs this under `sh -c`, and a SIGTERM sent to npm ends npm and the shell without
  // reaching this process: when the parent is gone, stop as if the signal had arrived.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('parent process exited');
  }, 500).unref();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `npm start failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
