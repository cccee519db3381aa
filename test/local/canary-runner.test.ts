// @tier e2e
/**
 * The canary runner with small scripts written for each case (the real journeys run in
 * test/canaries): a run that times out, a canary that cannot run at all as opposed to a journey
 * whose step fails, runs going on at once, and the lines a run logs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CanaryBundle } from '../../bundling/canaries';
import { writeZip } from '../../bundling/zip';
import { runCanary, type LogLevel } from '../../local/canary-runner';
import { temporaryRoot } from '../../local/temp-space';
import { commandOf, isAlive, processesWith } from '../support/processes';

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-runner-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A canary zip whose script is `source` (CommonJS), in the layout the runtime loads. */
function bundleOf(name: string, source: string): CanaryBundle {
  const zipFile = path.join(work, `${name}.zip`);
  writeZip(zipFile, [{ name: `nodejs/node_modules/${name}.js`, data: Buffer.from(source) }]);
  return { zipFile, handler: `${name}.handler` };
}

const LIBRARY = `const synthetics = require('@aws/synthetics-puppeteer');
const log = require('@aws/synthetics-logger');`;

describe('runCanary', () => {
  it('ends a run at its timeout, failing the step it was in', async () => {
    const bundle = bundleOf(
      'hangs',
      `${LIBRARY}
exports.handler = async () => {
  await synthetics.executeStep('quick', async () => undefined);
  await synthetics.executeStep('stuck', () => new Promise((resolve) => setTimeout(resolve, 1000)));
};`,
    );

    const run = await runCanary(bundle, { canaryName: 'c', environment: {}, timeoutMs: 300 });

    expect(run).toMatchObject({ passed: false, timedOut: true, failedToExecute: false });
    expect(run.steps.map((step) => [step.name, step.status])).toEqual([
      ['quick', 'passed'],
      ['stuck', 'failed'],
    ]);
    expect(run.error).toBe('stuck: Canary timed out after 0.3 s');
  });

  it('ends a run at once when its signal is aborted: its browser closed, its folder removed, the step failed', async () => {
    const bundle = bundleOf(
      'waits',
      `${LIBRARY}
exports.handler = async () => {
  const page = await synthetics.getPage();
  log.info('browser ' + page.browser().process().pid + ' folder ' + __dirname);
  await synthetics.executeStep('waits', () =>
    page.waitForFunction(() => false, { timeout: 60000 }),
  );
};`,
    );
    const stopping = new AbortController();
    let browserPid = 0;
    let folder = '';

    const run = await runCanary(bundle, {
      canaryName: 'c',
      environment: {},
      signal: stopping.signal,
      onLog: (_level, message) => {
        const said = /^browser (\d+) folder (.+)$/.exec(message);
        if (said !== null) [browserPid, folder] = [Number(said[1]), said[2]];
        if (message === 'Executing step: waits') stopping.abort();
      },
    });

    expect(run).toMatchObject({
      passed: false,
      timedOut: false,
      error: 'waits: the run was stopped',
    });
    expect(run.steps.map((step) => [step.name, step.status])).toEqual([['waits', 'failed']]);
    expect(browserPid).toBeGreaterThan(0);
    expect(isAlive(browserPid)).toBe(false);
    expect(fs.existsSync(folder)).toBe(false);
  }, 30_000);

  it('ends a run stopped while its browser starts: no browser left, its folder removed', async () => {
    const bundle = bundleOf(
      'starting',
      `${LIBRARY}
exports.handler = async () => {
  log.info('folder ' + __dirname);
  await synthetics.executeStep('open', () => synthetics.getPage());
};`,
    );
    const stopping = new AbortController();
    let folder = '';

    const run = await runCanary(bundle, {
      canaryName: 'c',
      environment: {},
      signal: stopping.signal,
      onLog: (_level, message) => {
        if (message.startsWith('folder ')) folder = message.slice('folder '.length);
        if (message === 'Executing step: open') stopping.abort();
      },
    });

    expect(run).toMatchObject({ passed: false, error: 'open: the run was stopped' });
    expect(fs.existsSync(folder)).toBe(false);
    const browsers = processesWith(temporaryRoot()).filter((pid) =>
      commandOf(pid).includes('chromium'),
    );
    expect(browsers).toEqual([]);
  }, 30_000);

  it('tells a canary that could not run from a journey whose step failed', async () => {
    const unloadable = bundleOf('unloadable', 'exports.handler = async () => { syntax error');
    const noHandler = bundleOf('nohandler', 'exports.other = async () => undefined;');
    const outsideSteps = bundleOf(
      'outside',
      `${LIBRARY}
exports.handler = async () => { throw new Error('Canary environment variable API_URL is not set'); };`,
    );
    const failingStep = bundleOf(
      'failingstep',
      `${LIBRARY}
exports.handler = async () => {
  await synthetics.executeStep('count', async () => { throw new Error('count: HTTP 503'); });
};`,
    );
    const options = { canaryName: 'c', environment: {} };

    const runs = await Promise.all(
      [unloadable, noHandler, outsideSteps, failingStep].map((bundle) =>
        runCanary(bundle, options),
      ),
    );

    expect(runs.map((run) => [run.passed, run.failedToExecute])).toEqual([
      [false, true],
      [false, true],
      [false, true],
      [false, false],
    ]);
    expect(runs[1].error).toBe(
      'the script exports no function "handler" (handler nohandler.handler)',
    );
    expect(runs[2].error).toBe('Canary environment variable API_URL is not set');
    expect(runs[3].steps).toEqual([
      { name: 'count', status: 'failed', durationMs: expect.any(Number), error: 'count: HTTP 503' },
    ]);
  });

  it('gives runs going on at once each their own library and environment', async () => {
    const bundle = bundleOf(
      'whoami',
      `${LIBRARY}
exports.handler = async () => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  await synthetics.executeStep('name', async () => {
    log.info('I am ' + synthetics.getCanaryName());
  });
};`,
    );

    const runs = await Promise.all(
      ['first', 'second', 'third'].map((canaryName) =>
        runCanary(bundle, { canaryName, environment: {} }),
      ),
    );

    expect(runs.map((run) => run.logs)).toEqual([
      ['INFO I am first'],
      ['INFO I am second'],
      ['INFO I am third'],
    ]);
  });

  it("passes each line to onLog as it is written: the script's and the runtime's around each step", async () => {
    const bundle = bundleOf(
      'logs',
      `${LIBRARY}
exports.handler = async () => {
  await synthetics.executeStep('one', async () => log.warn('careful', { n: 1 }));
  await synthetics.executeStep('two', async () => { throw new Error('broken'); });
};`,
    );
    const lines: [LogLevel, string][] = [];

    await runCanary(bundle, {
      canaryName: 'c',
      environment: {},
      onLog: (level, message) => lines.push([level, message]),
    });

    expect(lines).toEqual([
      ['INFO', 'Start Canary'],
      ['INFO', 'Executing step: one'],
      ['WARN', 'careful {"n":1}'],
      ['INFO', expect.stringMatching(/^Step one passed \(\d+ ms\)$/)],
      ['INFO', 'Executing step: two'],
      ['ERROR', 'Step two failed: broken'],
      ['ERROR', 'Canary failed: broken'],
    ]);
  });
});
