/**
 * The query worker's entry (artifacts.ts: dist's compiled file, or bundled from source): answers one query request at a
 * time. The runner (query-runner.ts) ends it when a query runs out of time or is abandoned.
 */
import { parentPort } from 'node:worker_threads';
import { answerQuery, type QueryAnswer, type QueryRequest } from './query-answer';

const port = parentPort;
if (port === null) throw new Error('query-worker.ts runs as a worker thread only');

port.on('message', (request: QueryRequest) => {
  let answer: QueryAnswer;
  try {
    answer = answerQuery(request);
  } catch (error: unknown) {
    answer = {
      ok: false,
      status: 500,
      code: 'INTERNAL_ERROR',
      message: `the query failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  port.postMessage(answer, answer.ok ? [answer.body.buffer as ArrayBuffer] : []);
});
