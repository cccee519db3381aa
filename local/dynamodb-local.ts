import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ensureDirectory } from './folders';
import { DYNAMODB_LOCAL_DIR, DYNAMODB_LOCAL_JAR } from './paths';
import { temporaryDir } from './temp-space';
import { assertPortFree } from './ports';

export interface DynamoDbLocalOptions {
  readonly port: number;
  /** Folder for the database file; omit to keep everything in memory. */
  readonly dataDir?: string;
  /** Aborts the start: the JVM is stopped and start rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** How the JVM ended: its exit code, or the signal that killed it. */
export interface DynamoDbExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Its last lines of output, for saying why. */
  readonly lastOutput: readonly string[];
}

/** Credentials DynamoDB Local requires in form but never checks. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-west-2';

export function localClient(endpoint: string): DynamoDBClient {
  // This machine runs Node 20; the pinned SDK works there but warns that later releases need 22.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
}

/**
 * Seconds the JVM gets to stop after SIGTERM before SIGKILL. DynamoDB Local answers a
 * TransactWriteItems before the transaction is in its SQLite file (measured: up to ~0.1 s; a
 * PutItem is written before it answers), so a JVM killed at once can lose the transaction it
 * acknowledged last. SIGTERM lets it finish; SIGKILL comes only for a JVM that is stuck.
 */
const STOP_GRACE_SECONDS = 3;
const OUTPUT_LINES_KEPT = 40;

// The JVM runs under a small shell guard, in a process group of its own (spawned detached). When
// the guard's stdin closes, the Node process that started it is gone, however it ended (SIGKILL
// included): the guard's watcher then stops the whole group, SIGTERM, and SIGKILL as soon as the
// JVM is gone or the grace is over (it ignores SIGTERM itself to live that long). A SIGTERM to the guard stops the JVM. `wait`
// returns early when a trapped signal arrives, so the guard waits until the JVM is gone, then
// exits with the JVM's own status (128 + n when signal n killed it). Only the JVM and the guard
// hold the output pipes, so those close as soon as both are gone.
const GUARD = [
  'exec 3<&0',
  'java "$@" & jvm=$!',
  "trap 'kill -TERM $jvm 2>/dev/null' TERM INT HUP",
  `(trap '' TERM; cat; kill -TERM 0; n=0; while kill -0 $jvm && [ $n -lt ${STOP_GRACE_SECONDS * 10} ]; do sleep 0.1; n=$((n+1)); done; kill -KILL 0) <&3 >/dev/null 2>&1 &`,
  'while :; do wait $jvm; status=$?; kill -0 $jvm 2>/dev/null || break; done',
  'exit $status',
].join('\n');

function signalOf(status: number): NodeJS.Signals | null {
  if (status <= 128) return null;
  const entry = Object.entries(os.constants.signals).find(([, number]) => number === status - 128);
  return entry === undefined ? null : (entry[0] as NodeJS.Signals);
}

/** AWS's DynamoDB Local (the Java program), started on loopback and stopped on demand. */
export class DynamoDbLocal {
  private readonly exited: Promise<DynamoDbExit>;
  private stopping = false;

  private constructor(
    private readonly process: ChildProcess,
    readonly endpoint: string,
    private readonly outputLines: string[],
  ) {
    this.exited = new Promise((resolve) =>
      process.once('close', (code, signal) => {
        // The guard passes the JVM's status on; a status over 128 is the JVM killed by a signal.
        const jvmSignal = signal ?? (code === null ? null : signalOf(code));
        resolve({ code, signal: jvmSignal, lastOutput: [...outputLines] });
      }),
    );
  }

  static async start(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
    options.signal?.throwIfAborted();
    if (!fs.existsSync(DYNAMODB_LOCAL_JAR)) {
      throw new Error(
        `DynamoDB Local not found at ${DYNAMODB_LOCAL_JAR}; run: npx tsx scripts/ensure-dynamodb-local.ts`,
      );
    }
    await assertPortFree(
      options.port,
      "DynamoDB Local's own port",
      'start it on another (`npm start` picks one at each start)',
    );
    // One database for every client, whatever its region and key: "If you use the -inMemory
    // option, the -sharedDb option is also required"; without it each region has its own tables
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.UsageNotes.html),
    // and the function runs in its stage's region.
    const storage = [
      '-sharedDb',
      ...(options.dataDir === undefined ? ['-inMemory'] : ['-dbPath', options.dataDir]),
    ];
    if (options.dataDir !== undefined) ensureDirectory(options.dataDir);
    // DynamoDB Local unpacks its SQLite library (sqlite-<version>-<uuid>-libsqlite4java.so, 0.9 MB)
    // into the JVM's temporary folder at every start and never removes it; the JVM's temporary
    // folder is /tmp whatever TMPDIR says. It gets one of this process's own, removed when the
    // JVM exits (and with this process's at the latest, local/temp-space.ts).
    const tmp = temporaryDir('dynamodb-local-');
    const args = [
      `-Djava.library.path=${path.join(DYNAMODB_LOCAL_DIR, 'DynamoDBLocal_lib')}`,
      `-Djava.io.tmpdir=${tmp}`,
      '-Xshare:auto',
      // No /tmp/hsperfdata_<user>/<pid> file (the JVM's counters for jstat, which nothing here
      // reads); a JVM ended with SIGKILL would leave it behind.
      '-XX:-UsePerfData',
      '-jar',
      DYNAMODB_LOCAL_JAR,
      '-port',
      String(options.port),
      '-disableTelemetry',
      ...storage,
    ];
    const child = spawn('sh', ['-c', GUARD, 'dynamodb-local', ...args], {
      cwd: DYNAMODB_LOCAL_DIR,
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C in the terminal reaches the Node process, which stops
      // DynamoDB Local after the servers that use it, instead of killing it at the same moment.
      detached: true,
    });
    const output: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue;
      readline.createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        if (output.length > OUTPUT_LINES_KEPT) output.shift();
      });
    }
    child.once('close', () => fs.rmSync(tmp, { recursive: true, force: true }));
    const instance = new DynamoDbLocal(child, `http://127.0.0.1:${options.port}`, output);
    try {
      await instance.waitUntilReady(options.signal);
    } catch (error: unknown) {
      await instance.stop();
      throw error;
    }
    return instance;
  }

  /** The guard process's id; the JVM is its child. */
  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Resolves when the JVM has exited, however it ended. */
  whenExited(): Promise<DynamoDbExit> {
    return this.exited;
  }

  /** Whether `stop` was called: an exit after it was asked for. */
  get stopRequested(): boolean {
    return this.stopping;
  }

  /** Resolves once DynamoDB Local answers a request; rejects if the process exits first. */
  private async waitUntilReady(signal: AbortSignal | undefined, timeoutMs = 30_000): Promise<void> {
    const client = localClient(this.endpoint);
    const deadline = Date.now() + timeoutMs;
    let exitedEarly = false;
    void this.exited.then(() => (exitedEarly = true));
    try {
      for (;;) {
        signal?.throwIfAborted();
        if (exitedEarly)
          throw new Error(`DynamoDB Local exited while starting:\n${this.outputLines.join('\n')}`);
        try {
          await client.send(new ListTablesCommand({}), { abortSignal: signal });
          return;
        } catch {
          if (Date.now() > deadline)
            throw new Error(
              `DynamoDB Local did not answer within ${timeoutMs} ms:\n${this.outputLines.join('\n')}`,
            );
          // Readiness probe: the JVM gives no event when its port opens.
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } finally {
      client.destroy();
    }
  }

  /** Stops the JVM (SIGTERM, SIGKILL after a grace) and resolves when it has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.stdin?.end();
      this.signalGroup('SIGTERM');
      const escalation = setTimeout(() => this.signalGroup('SIGKILL'), STOP_GRACE_SECONDS * 1000);
      await this.exited;
      clearTimeout(escalation);
    } else {
      await this.exited;
    }
    // The guard's helpers (its watcher) go with it.
    this.signalGroup('SIGKILL');
    this.process.stdin?.destroy();
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.process.pid === undefined) return;
    try {
      process.kill(-this.process.pid, signal);
    } catch {
      // The group is already empty.
    }
  }
}
