/**
 * Runs the monitor's Logs Insights queries on worker threads, never on the thread that serves the
 * API, the website, the monitor and the canaries, each within budgets a query cannot talk its way
 * past: a time limit (the worker is ended when it runs out), a heap limit (the worker dies, not
 * the process), a limit on the answer's size, and a limit on queries at once. A query whose client
 * goes away, or that is under way when the monitor stops, is ended at once: its worker is
 * terminated, so it stops using the CPU.
 *
 * The log lines are not copied to the worker: the store's blocks are SharedArrayBuffers (log-store.ts).
 */
import { Worker } from 'node:worker_threads';
import { queryWorkerFile } from '../artifacts';
import { BUDGET_EXCEEDED, type QueryAnswer, type QueryRequest } from './query-answer';

export interface QueryBudgets {
  /** Wall time a query may run on its worker. @default 10 s */
  readonly timeMs?: number;
  /** The heap of a worker (V8's old generation). @default 256 MiB */
  readonly memoryMb?: number;
  /** The largest answer, as JSON. @default 16 MiB */
  readonly resultBytes?: number;
  /** Queries that run at once (each on its own thread). @default 2 */
  readonly concurrent?: number;
  /** Queries that may wait for one of those; more are refused. @default 8 */
  readonly queued?: number;
}

/** How a query ended, for whoever watches the runner (tests, the benchmark). */
export type QueryOutcome = 'answered' | 'timeout' | 'memory' | 'cancelled' | 'failed' | 'refused';

export interface QueryRunnerOptions extends QueryBudgets {
  /** Told when a query starts on a worker and when it ends. */
  readonly onEvent?: (
    event: { readonly type: 'started' } | { readonly type: QueryOutcome },
  ) => void;
}

export const DEFAULT_QUERY_BUDGETS: Required<QueryBudgets> = {
  timeMs: 10_000,
  memoryMb: 256,
  resultBytes: 16 * 1024 * 1024,
  concurrent: 2,
  queued: 8,
};

type Request = Omit<QueryRequest, 'maxResultBytes'>;

interface Job {
  readonly request: Request;
  readonly signal?: AbortSignal;
  readonly resolve: (answer: QueryAnswer) => void;
}

const refused = (status: number, code: string, message: string): QueryAnswer => ({
  ok: false,
  status,
  code,
  message,
});

export class QueryRunner {
  private readonly budgets: Required<QueryBudgets>;
  private readonly idle: Worker[] = [];
  private readonly running = new Set<Worker>();
  private readonly waiting: Job[] = [];
  private closed = false;
  private readonly workerFile: string;

  constructor(private readonly options: QueryRunnerOptions = {}) {
    // Built (or found built) now, with the monitor: not on the first query's request.
    this.workerFile = queryWorkerFile();
    this.budgets = {
      timeMs: options.timeMs ?? DEFAULT_QUERY_BUDGETS.timeMs,
      memoryMb: options.memoryMb ?? DEFAULT_QUERY_BUDGETS.memoryMb,
      resultBytes: options.resultBytes ?? DEFAULT_QUERY_BUDGETS.resultBytes,
      concurrent: options.concurrent ?? DEFAULT_QUERY_BUDGETS.concurrent,
      queued: options.queued ?? DEFAULT_QUERY_BUDGETS.queued,
    };
  }

  /** Queries on a worker now. */
  get active(): number {
    return this.running.size;
  }

  /**
   * Answers the request on a worker; resolves with an error answer (never rejects) when a budget
   * ends it, and with a 499 once `signal` aborts (nobody is left to read it).
   */
  run(request: Request, signal?: AbortSignal): Promise<QueryAnswer> {
    return new Promise((resolve) => {
      if (this.closed) return resolve(refused(503, 'MONITOR_STOPPING', 'the monitor is stopping'));
      if (signal?.aborted) return resolve(cancelled());
      const job: Job = { request, signal, resolve };
      if (this.running.size < this.budgets.concurrent) return this.start(job);
      if (this.waiting.length >= this.budgets.queued) {
        this.report('refused');
        return resolve(
          refused(
            429,
            'TOO_MANY_QUERIES',
            `${this.budgets.concurrent} queries are running and ${this.budgets.queued} waiting, the most the local monitor takes at once; retry when one ends`,
          ),
        );
      }
      this.waiting.push(job);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.waiting.indexOf(job);
          if (at < 0) return;
          this.waiting.splice(at, 1);
          this.report('cancelled');
          resolve(cancelled());
        },
        { once: true },
      );
    });
  }

  /** Ends every query under way or waiting and every worker; later queries are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0))
      job.resolve(refused(503, 'MONITOR_STOPPING', 'the monitor is stopping'));
    const workers = [...this.running, ...this.idle.splice(0)];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private start(job: Job): void {
    const worker = this.idle.pop() ?? this.spawn();
    worker.ref();
    this.running.add(worker);
    this.report('started');
    let settled = false;
    const settle = (outcome: QueryOutcome, answer: QueryAnswer, reuse: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      job.signal?.removeEventListener('abort', onAbort);
      this.running.delete(worker);
      if (reuse && !this.closed) {
        worker.unref();
        this.idle.push(worker);
      } else void worker.terminate();
      this.report(outcome);
      job.resolve(answer);
      const next = this.waiting.shift();
      if (next !== undefined) this.start(next);
    };
    const onMessage = (answer: QueryAnswer) => settle('answered', answer, true);
    const onError = (error: Error & { code?: string }) =>
      error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? settle(
            'memory',
            refused(
              422,
              BUDGET_EXCEEDED,
              `the query needed more than its memory budget of ${this.budgets.memoryMb} MiB and was stopped: filter before stats, or a narrower range`,
            ),
            false,
          )
        : settle(
            'failed',
            refused(500, 'INTERNAL_ERROR', `the query failed: ${error.message}`),
            false,
          );
    const onExit = () =>
      settle(
        this.closed ? 'cancelled' : 'failed',
        refused(503, 'MONITOR_STOPPING', 'the query was stopped: the monitor is stopping'),
        false,
      );
    const onAbort = () => settle('cancelled', cancelled(), false);
    const timer = setTimeout(
      () =>
        settle(
          'timeout',
          refused(
            422,
            BUDGET_EXCEEDED,
            `the query ran past its time budget of ${formatMs(this.budgets.timeMs)} and was stopped: a narrower range, a filter before parse or stats, or a simpler regex`,
          ),
          false,
        ),
      this.budgets.timeMs,
    );
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    job.signal?.addEventListener('abort', onAbort, { once: true });
    worker.postMessage({ ...job.request, maxResultBytes: this.budgets.resultBytes });
  }

  private spawn(): Worker {
    const worker = new Worker(this.workerFile, {
      resourceLimits: { maxOldGenerationSizeMb: this.budgets.memoryMb },
    });
    // An idle worker that ends (it should not) is not handed a query.
    worker.once('exit', () => {
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return worker;
  }

  private report(outcome: QueryOutcome | 'started'): void {
    this.options.onEvent?.({ type: outcome });
  }
}

/** What an abandoned query answers: nobody reads it (nginx's 499, "client closed request"). */
function cancelled(): QueryAnswer {
  return refused(499, 'CANCELLED', 'the client went away');
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}
