/**
 * Set up before every file of the fast tier (`npm test`): starting a process fails the test that
 * tries, naming the file and the way out, so a test that needs one is moved to the e2e tier rather
 * than slowing the fast one. Threads (worker_threads) are not processes and stay allowed.
 *
 * Jest hands test files Node's own child_process module, so it is patched here for this file's
 * run and restored after it: the worker may run an e2e file next (`npm run test:all`).
 */
// The module object itself (a default import): `import * as` would patch a copy.
import childProcess from 'node:child_process';
import * as path from 'node:path';

/** Every way child_process starts a process; exec and fork go through these functions too. */
const STARTERS = [
  'spawn',
  'spawnSync',
  'exec',
  'execSync',
  'execFile',
  'execFileSync',
  'fork',
] as const;

type Starter = (typeof STARTERS)[number];
type Patchable = Record<Starter, (...args: unknown[]) => unknown>;

const testFile = path.relative(process.cwd(), expect.getState().testPath ?? 'this test file');

function refusal(how: string, command: unknown): Error {
  return new Error(
    `${testFile} started a process (${how} ${JSON.stringify(command)}): the fast tier (npm test) ` +
      'starts no process, browser or JVM. Make the test not need one, or mark the file for the ' +
      'e2e tier (npm run test:e2e) with "// @tier e2e" as its first line.',
  );
}

const starters = childProcess as unknown as Patchable;
const originals = new Map(STARTERS.map((name) => [name, starters[name]]));
/** Where every asynchronous start ends (Node's own, not in its type declarations). */
const processPrototype = childProcess.ChildProcess.prototype as unknown as {
  spawn(options: { file?: string }): unknown;
};
const originalSpawn = processPrototype.spawn;

for (const name of STARTERS) {
  starters[name] = (command: unknown) => {
    throw refusal(`child_process.${name}`, command);
  };
}
// What calls ChildProcess directly (a library holding its own reference to spawn) ends here.
processPrototype.spawn = function refuse(options) {
  throw refusal('ChildProcess.spawn', options?.file);
};

// Nor does a fast file reach the e2e tier's DynamoDB Local when `npm run test:all` runs both tiers
// (each test file has its own copy of process.env).
delete process.env.TEST_DYNAMODB_ENDPOINT;

afterAll(() => {
  for (const [name, original] of originals) starters[name] = original;
  processPrototype.spawn = originalSpawn;
});
