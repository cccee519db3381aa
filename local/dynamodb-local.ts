import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DYNAMODB_LOCAL_DIR, DYNAMODB_LOCAL_JAR } from './paths';
import { assertPortFree } from './ports';

export interface DynamoDbLocalOptions {
  readonly port: number;
  /** Folder for the database file; omit to keep everything in memory. */
  readonly dataDir?: string;
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

// The JVM runs under a small shell guard that kills it when its stdin closes, so DynamoDB Local
// ends with the Node process that started it even when that process is killed with SIGKILL.
// A signal interrupts the first `wait`; the second waits until the JVM has really exited.
const GUARD = [
  'exec 3<&0',
  'java "$@" & jvm=$!',
  "trap 'kill $jvm 2>/dev/null' TERM INT HUP",
  '(cat >/dev/null; kill $jvm 2>/dev/null) <&3 &',
  'wait $jvm',
  'wait $jvm 2>/dev/null',
  'exit 0',
].join('\n');

/** AWS's DynamoDB Local (the Java program), started on loopback and stopped on demand. */
export class DynamoDbLocal {
  private exited: Promise<number | null>;

  private constructor(
    private readonly process: ChildProcess,
    readonly endpoint: string,
    readonly output: string[],
  ) {
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  static async start(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
    if (!fs.existsSync(DYNAMODB_LOCAL_JAR)) {
      throw new Error(
        `DynamoDB Local not found at ${DYNAMODB_LOCAL_JAR}; run: npx tsx scripts/ensure-dynamodb-local.ts`,
      );
    }
    await assertPortFree(options.port, 'DynamoDB Local', 'set DYNAMODB_PORT to another port');
    const storage =
      options.dataDir === undefined ? ['-inMemory'] : ['-sharedDb', '-dbPath', options.dataDir];
    if (options.dataDir !== undefined) fs.mkdirSync(options.dataDir, { recursive: true });
    const args = [
      `-Djava.library.path=${path.join(DYNAMODB_LOCAL_DIR, 'DynamoDBLocal_lib')}`,
      '-Xshare:auto',
      '-jar',
      DYNAMODB_LOCAL_JAR,
      '-port',
      String(options.port),
      '-disableTelemetry',
      ...storage,
    ];
    const child = spawn('sh', ['-c', GUARD, 'dynamodb-local', ...args], {
      cwd: DYNAMODB_LOCAL_DIR,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const instance = new DynamoDbLocal(child, `http://127.0.0.1:${options.port}`, output);
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await instance.waitUntilReady();
    return instance;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Resolves once DynamoDB Local answers a request; rejects if the process exits first. */
  private async waitUntilReady(timeoutMs = 30_000): Promise<void> {
    const client = localClient(this.endpoint);
    const deadline = Date.now() + timeoutMs;
    let exitedEarly = false;
    void this.exited.then(() => (exitedEarly = true));
    try {
      for (;;) {
        if (exitedEarly)
          throw new Error(`DynamoDB Local exited while starting:\n${this.output.join('')}`);
        try {
          await client.send(new ListTablesCommand({}));
          return;
        } catch {
          if (Date.now() > deadline)
            throw new Error(
              `DynamoDB Local did not answer within ${timeoutMs} ms:\n${this.output.join('')}`,
            );
          // Readiness probe: the JVM gives no event when its port opens.
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } finally {
      client.destroy();
    }
  }

  /** Stops the JVM and resolves when it has exited. */
  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.stdin?.end();
      this.process.kill('SIGTERM');
    }
    await this.exited;
  }
}
