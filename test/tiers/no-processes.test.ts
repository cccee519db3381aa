import childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

// This file runs in the fast tier, where test/support/no-processes.ts refuses to start processes.

const THIS_FILE = path.join('test', 'tiers', 'no-processes.test.ts');

/** A Node.js script that would leave a file behind if it ever ran. */
function evidence(): { file: string; script: string } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tiers-')), 'ran');
  return { file, script: `require('node:fs').writeFileSync(${JSON.stringify(file)}, 'ran')` };
}

const starters: Record<string, (script: string) => unknown> = {
  spawn: (script) => childProcess.spawn(process.execPath, ['-e', script]),
  spawnSync: (script) => childProcess.spawnSync(process.execPath, ['-e', script]),
  exec: (script) => childProcess.exec(`"${process.execPath}" -e "${script}"`),
  execSync: (script) => childProcess.execSync(`"${process.execPath}" -e "${script}"`),
  execFile: (script) => childProcess.execFile(process.execPath, ['-e', script]),
  execFileSync: (script) => childProcess.execFileSync(process.execPath, ['-e', script]),
  fork: (script) => childProcess.fork('-e', [script], { execArgv: ['-e', script] }),
  'new ChildProcess().spawn': (script) =>
    (new childProcess.ChildProcess() as unknown as { spawn(options: object): unknown }).spawn({
      file: process.execPath,
      args: [process.execPath, '-e', script],
      stdio: 'ignore',
    }),
};

describe('the fast tier starts no process', () => {
  it.each(Object.keys(starters))('%s throws, names this file and the e2e marker', (name) => {
    const { file, script } = evidence();

    const start = () => starters[name](script);

    expect(start).toThrow(THIS_FILE);
    expect(start).toThrow('"// @tier e2e" as its first line');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('allows threads: a worker_threads Worker runs', async () => {
    const worker = new Worker('require("node:worker_threads").parentPort.postMessage(6 * 7)', {
      eval: true,
    });

    const answer = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });

    expect(answer).toBe(42);
    await worker.terminate();
  });

  it('hides the e2e tier DynamoDB Local from fast files', () => {
    expect(process.env.TEST_DYNAMODB_ENDPOINT).toBeUndefined();
  });
});
