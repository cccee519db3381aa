import { startDynamoDbEndpoint } from './dynamodb-endpoint';
import { DynamoDbLocal, type DynamoDbExit } from './dynamodb-local';
import type { ListeningServer } from '@monitored/cloudwatch-local';
import { assertPortFree, freeBrowserBlockedPort, freePort, PortInUseError } from './ports';

export interface DynamoDbSupervisorOptions {
  /**
   * The port tools are pointed at (DYNAMODB_PORT; 0 picks a free one): the guarded endpoint
   * (local/dynamodb-endpoint.ts). DynamoDB Local itself listens on a port no browser connects to.
   */
  readonly port: number;
  /** Folder for the database file; omit to keep everything in memory. */
  readonly dataDir?: string;
  /** Runs after each start, before DynamoDB Local counts as up (creates the table). */
  readonly prepare: (endpoint: string) => Promise<void>;
  /** Told, in a sentence, when DynamoDB Local goes away and what is done about it. */
  readonly onNotice: (message: string) => void;
  /**
   * Waits before each restart attempt after an unexpected exit; one attempt per entry.
   * @default 1 s, 2 s, 4 s, 8 s, 16 s
   */
  readonly restartDelaysMs?: readonly number[];
  /** Told of each failure of the endpoint's handling of a request. @default one line on stderr */
  readonly onServerError?: (error: unknown) => void;
}

const DEFAULT_RESTART_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 16_000];
/** An instance that stayed up this long earns a fresh set of restart attempts. */
const STABLE_AFTER_MS = 30_000;
const OUTPUT_LINES_SHOWN = 8;
/** Ports tried for DynamoDB Local's own when another process takes the one chosen first. */
const PORT_ATTEMPTS = 3;

function describeExit(exit: DynamoDbExit): string {
  if (exit.signal !== null) return `killed by ${exit.signal}`;
  return `exit code ${exit.code}`;
}

function clock(date: Date): string {
  return date.toISOString().slice(11, 19);
}

/** The printed port, when in use, is named with the variable that moves it. */
const PRINTED_PORT = ['DynamoDB Local', 'set DYNAMODB_PORT to another port'] as const;

/** Whether DynamoDB Local failed to start because its port was taken meanwhile. */
function portTaken(error: unknown): boolean {
  return (
    error instanceof PortInUseError ||
    (error instanceof Error && error.message.includes('java.net.BindException'))
  );
}

/**
 * DynamoDB Local as the system offers it: the JVM on a port of its own, one no browser connects to
 * (ports.ts), behind the endpoint tools are pointed at, which answers only the names it printed;
 * the system's own clients (the function, the metrics proxy) reach the JVM directly. The JVM is
 * restarted when it exits unexpectedly: on the same port and data directory, with bounded retries
 * and growing waits, and a sentence for each step. Meanwhile the function's requests fail to
 * connect and the API answers 503, as it does for DynamoDB on AWS; they succeed again once it is
 * back.
 */
export class DynamoDbSupervisor {
  private stopped = false;
  private readonly stopping = new AbortController();
  private pendingRestart: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;
  private suspended = false;

  private constructor(
    private readonly options: DynamoDbSupervisorOptions,
    private current: DynamoDbLocal | undefined,
    private readonly jvmPort: number,
    private readonly printed: ListeningServer,
  ) {}

  static async start(
    options: DynamoDbSupervisorOptions,
    signal?: AbortSignal,
  ): Promise<DynamoDbSupervisor> {
    // The printed port first: a port in use is said before the JVM's seconds of start-up.
    if (options.port !== 0) await assertPortFree(options.port, ...PRINTED_PORT);
    const first = await DynamoDbSupervisor.startOnOwnPort(options, signal);
    let printed: ListeningServer | undefined;
    try {
      await options.prepare(first.endpoint);
      signal?.throwIfAborted();
      printed = await startDynamoDbEndpoint({
        port: options.port,
        target: first.endpoint,
        onError: options.onServerError,
      }).catch((error: NodeJS.ErrnoException) => {
        // Taken while the JVM started.
        throw error.code === 'EADDRINUSE'
          ? new PortInUseError(options.port, ...PRINTED_PORT)
          : error;
      });
      signal?.throwIfAborted();
    } catch (error: unknown) {
      await printed?.stop();
      await first.stop();
      throw error;
    }
    const supervisor = new DynamoDbSupervisor(
      options,
      first,
      Number(new URL(first.endpoint).port),
      printed,
    );
    supervisor.watch(first, 0);
    return supervisor;
  }

  /**
   * DynamoDB Local on a free port no browser connects to, another one if a process takes it
   * while the JVM starts. Should none be free, any free port: reachable by a page that finds it.
   */
  private static async startOnOwnPort(
    options: DynamoDbSupervisorOptions,
    signal: AbortSignal | undefined,
  ): Promise<DynamoDbLocal> {
    const tried: number[] = [];
    for (;;) {
      const blocked = await freeBrowserBlockedPort(tried);
      const port = blocked ?? (await freePort());
      if (blocked === undefined) {
        options.onNotice(
          `No port that browsers refuse to connect to is free; DynamoDB Local listens on ${port}, ` +
            'which a web page that finds it can reach.',
        );
      }
      tried.push(port);
      try {
        return await DynamoDbLocal.start({ port, dataDir: options.dataDir, signal });
      } catch (error: unknown) {
        if (!portTaken(error) || tried.length >= PORT_ATTEMPTS) throw error;
      }
    }
  }

  /** The endpoint to print and to point tools at: it answers only 127.0.0.1 and localhost. */
  get endpoint(): string {
    return this.printed.url;
  }

  /**
   * DynamoDB Local's own endpoint, for this system's clients, which must not pay for a hop: it
   * answers any Host, so it is never printed. The same across restarts.
   */
  get privateEndpoint(): string {
    return `http://127.0.0.1:${this.jvmPort}`;
  }

  /** The printed port, which the sentences name: the one a person knows. */
  private get port(): string {
    return new URL(this.printed.url).port;
  }

  /** The guard process of the running instance, if one runs. */
  get pid(): number | undefined {
    return this.current?.pid;
  }

  private watch(instance: DynamoDbLocal, attemptsUsed: number): void {
    const startedAt = Date.now();
    void instance.whenExited().then((exit) => {
      if (this.stopped || instance.stopRequested) return;
      this.current = undefined;
      // Its stdin watcher must not wait on a pipe to an instance that is gone.
      void instance.stop();
      const stable = Date.now() - startedAt >= STABLE_AFTER_MS;
      const output = exit.lastOutput
        .filter((line) => line.trim() !== '')
        .slice(-OUTPUT_LINES_SHOWN)
        .map((line) => `\n    ${line}`)
        .join('');
      this.options.onNotice(
        `DynamoDB Local exited unexpectedly at ${clock(new Date())} (${describeExit(exit)}).` +
          (output === '' ? ' It wrote nothing before it exited.' : ` Its last output:${output}`),
      );
      this.scheduleRestart(stable ? 0 : attemptsUsed);
    });
  }

  private scheduleRestart(attemptsUsed: number): void {
    const delays = this.options.restartDelaysMs ?? DEFAULT_RESTART_DELAYS_MS;
    const { port } = this;
    const { dataDir } = this.options;
    if (attemptsUsed >= delays.length) {
      this.options.onNotice(
        `DynamoDB Local could not be restarted after ${delays.length} attempts; the API answers 503. ` +
          'Stop `npm start` (Ctrl-C) and start it again.',
      );
      return;
    }
    const delay = delays[attemptsUsed];
    const where = `port ${port}, ${dataDir === undefined ? 'in memory: the data it held is gone' : `data in ${dataDir}`}`;
    this.options.onNotice(
      `Restarting DynamoDB Local in ${delay / 1000} s (attempt ${attemptsUsed + 1} of ${delays.length}, ${where}); ` +
        'until it is back the API answers 503.',
    );
    this.pendingRestart = setTimeout(() => {
      this.pendingRestart = undefined;
      this.restarting = this.restart(attemptsUsed + 1).finally(() => (this.restarting = undefined));
    }, delay);
  }

  private async restart(attempt: number): Promise<void> {
    if (this.stopped) return;
    let instance: DynamoDbLocal | undefined;
    try {
      instance = await DynamoDbLocal.start({
        port: this.jvmPort,
        dataDir: this.options.dataDir,
        signal: this.stopping.signal,
      });
      await this.options.prepare(instance.endpoint);
    } catch (error: unknown) {
      await instance?.stop();
      if (this.stopped) return;
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      this.options.onNotice(`Restart attempt ${attempt} of DynamoDB Local failed: ${reason}`);
      this.scheduleRestart(attempt);
      return;
    }
    if (this.stopped) {
      await instance.stop();
      return;
    }
    this.current = instance;
    this.options.onNotice(
      `DynamoDB Local is back at ${clock(new Date())} on port ${this.port} (restart attempt ${attempt}).`,
    );
    this.watch(instance, attempt);
  }

  /**
   * Stops DynamoDB Local on purpose, as an outage drill does: an exit that was asked for is not
   * restarted (watch() ignores it), so the API answers 503 until resume(). Resolves when the JVM
   * has exited.
   */
  async suspend(): Promise<void> {
    if (this.stopped) throw new Error('DynamoDB Local is stopped for good');
    this.suspended = true;
    clearTimeout(this.pendingRestart);
    this.pendingRestart = undefined;
    await this.restarting;
    const instance = this.current;
    this.current = undefined;
    await instance?.stop();
    this.options.onNotice(
      `DynamoDB Local stopped on request at ${clock(new Date())} (real time); the API answers 503 until it is started again.`,
    );
  }

  /** Starts DynamoDB Local again after suspend(), on the same port and data folder. */
  async resume(): Promise<void> {
    if (this.stopped) throw new Error('DynamoDB Local is stopped for good');
    if (!this.suspended) return;
    const instance = await DynamoDbLocal.start({
      port: this.jvmPort,
      dataDir: this.options.dataDir,
      signal: this.stopping.signal,
    });
    try {
      await this.options.prepare(instance.endpoint);
    } catch (error: unknown) {
      await instance.stop();
      throw error;
    }
    this.suspended = false;
    this.current = instance;
    this.options.onNotice(
      `DynamoDB Local started again on request at ${clock(new Date())} (real time) on port ${this.port}.`,
    );
    this.watch(instance, 0);
  }

  /**
   * From now on the printed endpoint answers every new request 503 with Retry-After, its port
   * still open, as the system's other servers do while it stops.
   */
  beginStopping(): void {
    this.printed.beginStopping();
  }

  /**
   * Stops DynamoDB Local and any restart under way, then closes the printed endpoint; resolves
   * when the JVM has exited and the port is closed.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.beginStopping();
    this.stopping.abort(new Error('stopping'));
    clearTimeout(this.pendingRestart);
    await this.restarting;
    await this.current?.stop();
    await this.printed.stop();
  }
}
