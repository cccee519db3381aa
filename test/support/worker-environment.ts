/**
 * The Node test environment, plus one memo per Jest worker that every test file the worker runs can
 * read (test/support/worker-memo.ts): Jest gives each file fresh modules and globals, but this module
 * is loaded once per worker, so what is expensive and the same for every file (a stage synthesized
 * with the test settings) is computed once per worker rather than once per file.
 */
import NodeEnvironment from 'jest-environment-node';

/** JSON text by key: each file parses its own copy, so no file sees another's changes. */
const WORKER_MEMO = new Map<string, string>();

export default class WorkerEnvironment extends NodeEnvironment {
  constructor(...args: ConstructorParameters<typeof NodeEnvironment>) {
    super(...args);
    this.global.__workerMemo = WORKER_MEMO;
  }
}
