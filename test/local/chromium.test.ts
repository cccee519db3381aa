// @tier e2e
/**
 * The browser launcher and signals: a caller with its own stop (npm start at Ctrl-C) keeps it, also
 * while a canary's browser is open; a caller without one does not leave the browser behind.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchChromium } from '../../local/chromium';
import { leftIn, waitUntilGone } from '../support/processes';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Runs `script` (CommonJS, through tsx) in the project; kills it with `signal` once it printed
 * "ready <pid>". `env` adds to the environment (TMPDIR, to see what the run leaves behind).
 */
async function runAndSignal(script: string, signal: NodeJS.Signals, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let browserPid: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    const ready = /^ready (\d+)$/m.exec(output);
    if (ready !== null && browserPid === undefined) {
      browserPid = Number(ready[1]);
      child.kill(signal);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output, browserPid };
}

const LAUNCH = `
const { launchChromium } = require('./local/chromium');
const ready = (chromium) =>
  process.stdout.write('ready ' + chromium.browser.process().pid + '\\n');
`;

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-test-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

describe('launchChromium', () => {
  it('removes its profile when closed, also after the browser was killed', async () => {
    const chromium = await launchChromium();
    const pid = chromium.browser.process()!.pid!;
    expect(fs.existsSync(chromium.directory)).toBe(true);

    process.kill(pid, 'SIGKILL');
    expect(await waitUntilGone([pid], 5_000)).toEqual([]);
    await chromium.close();

    expect(fs.existsSync(chromium.directory)).toBe(false);
  }, 30_000);

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'leaves nothing in TMPDIR when its caller stops on %s',
    async (signal) => {
      const run = await runAndSignal(`${LAUNCH} void launchChromium().then(ready);`, signal, {
        TMPDIR: work,
      });

      expect(await waitUntilGone([run.browserPid!], 5_000)).toEqual([]);
      expect(leftIn(work)).toEqual([]);
    },
    30_000,
  );

  it('leaves nothing in TMPDIR after its caller was killed (SIGKILL) once the next process starts', async () => {
    const killed = await runAndSignal(`${LAUNCH} void launchChromium().then(ready);`, 'SIGKILL', {
      TMPDIR: work,
    });
    expect(await waitUntilGone([killed.browserPid!], 5_000)).toEqual([]);

    const next = spawn(
      process.execPath,
      ['--import', 'tsx', '-e', `${LAUNCH} void launchChromium().then((c) => c.close());`],
      { cwd: ROOT, env: { ...process.env, TMPDIR: work }, stdio: 'ignore' },
    );
    const code = await new Promise((resolve) => next.once('exit', resolve));

    expect(code).toBe(0);
    expect(leftIn(work)).toEqual([]);
  }, 30_000);

  it("leaves Ctrl-C to a caller's own handler, which closes the browser and exits", async () => {
    const run = await runAndSignal(
      `${LAUNCH}
      let chromium;
      process.on('SIGINT', () => {
        void chromium.close().then(() => {
          process.stdout.write('stopped by its own handler\\n');
          process.exit(0);
        });
      });
      void launchChromium().then((launched) => { chromium = launched; ready(launched); });`,
      'SIGINT',
    );
    expect({ code: run.code, output: run.output }).toEqual({
      code: 0,
      output: `ready ${run.browserPid}\nstopped by its own handler\n`,
    });
    expect(await waitUntilGone([run.browserPid!], 5_000)).toEqual([]);
  }, 30_000);

  it('ends the browser with a caller that has no handler of its own', async () => {
    const run = await runAndSignal(`${LAUNCH} void launchChromium().then(ready);`, 'SIGTERM');
    expect(run.browserPid).toBeGreaterThan(0);
    expect(await waitUntilGone([run.browserPid!], 5_000)).toEqual([]);
  }, 30_000);

  it('ends the browser with its caller even when the caller is killed (SIGKILL)', async () => {
    const run = await runAndSignal(`${LAUNCH} void launchChromium().then(ready);`, 'SIGKILL');
    expect(run.browserPid).toBeGreaterThan(0);
    expect(await waitUntilGone([run.browserPid!], 5_000)).toEqual([]);
  }, 30_000);
});
