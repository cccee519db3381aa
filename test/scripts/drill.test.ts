// @tier e2e
/**
 * `npm run drill` as a person runs it (its script under node, as npm runs it): it must pass, with
 * both emails in its outbox and the times it measured; a step that does not happen within its
 * bound fails it with a message naming the step; arguments it cannot use exit 2.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { leftIn, npmRun, processTree, runScript, waitUntilGone } from '../support/processes';

const ROOT = path.resolve(__dirname, '..', '..');

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

describe('npm run drill', () => {
  it('breaks prod\'s API and measures the time to the "site down" email and to the "OK" email, then holds the monitor up with --hold', async () => {
    const outbox = path.join(work, 'outbox');

    const drill = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/drill.ts', '--outbox', outbox, '--hold'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    drill.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => drill.once('exit', resolve));
    const holding = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: drill.stdout }).on('line', (line) => {
        output += `${line}\n`;
        const monitor = /^Holding: the monitor stays at (\S+) until Ctrl-C\.$/.exec(line)?.[1];
        if (monitor !== undefined) resolve(monitor);
      });
      void exited.then((code) =>
        reject(new Error(`the drill exited (${code}) without holding:\n${output}`)),
      );
    });

    expect(output).toMatch(
      /time to detect: {2}\d+\.\d simulated minutes \(within the 10-minute goal\), \d+\.\d s real/,
    );
    expect(output).toMatch(/time to recover: \d+\.\d simulated minutes, \d+\.\d s real/);
    const emails = fs.readdirSync(outbox);
    expect(emails).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/-msgs-prod-site-down-ALARM-you@localhost\.eml$/),
        expect.stringMatching(/-msgs-prod-site-down-OK-you@localhost\.eml$/),
      ]),
    );
    // Held: the monitor still answers, with the drill's alarm history, until Ctrl-C.
    const history = (await (
      await fetch(new URL('/api/alarms/msgs-prod-site-down', holding))
    ).json()) as unknown;
    expect(JSON.stringify(history)).toContain('ALARM');
    drill.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 180_000);

  // npm sends SIGINT on to the one process it started: the drill must be it.
  it("stops mid-drill when npm's PID alone is sent SIGINT: every process gone, nothing left in TMPDIR", async () => {
    const tmp = path.join(work, 'tmp');
    fs.mkdirSync(tmp);
    const drill = npmRun('drill', ['--outbox', path.join(work, 'outbox')], { TMPDIR: tmp });
    try {
      await drill.waitForLine(/^2\. Breaking the API/);
      const everything = processTree(drill.child.pid!);

      drill.child.kill('SIGINT');

      expect(await drill.exited).toBe(1);
      expect(drill.output()).toContain('Drill stopped (SIGINT)');
      expect(await waitUntilGone(everything, 10_000)).toEqual([]);
      expect(leftIn(tmp)).toEqual([]);
    } finally {
      if (drill.child.exitCode === null) drill.child.kill('SIGKILL');
    }
  }, 120_000);

  it('fails, naming the step, when a step does not happen within its bound', async () => {
    const { code, output } = await runScript('drill', [
      '--within',
      '0.5',
      '--outbox',
      path.join(work, 'outbox'),
    ]);

    expect(code).toBe(1);
    expect(output).toMatch(/^Drill failed: no .+ within 0\.5 s; the loop reported:/m);
  }, 120_000);

  it.each([
    [['--stage', 'qa'], '--stage "qa" is not a stage; use dev or prod'],
    [
      ['--time-scale', '0'],
      '--time-scale "0" is out of range: simulated seconds per real second, above 0 and at most 3600',
    ],
    [['--time-scale', '0x10'], '--time-scale "0x10" is not a decimal number'],
    [['--within', 'soon'], '--within "soon" is not a decimal number'],
    [
      ['--within', '99999999'],
      '--within "99999999" is out of range: real seconds, above 0 and at most 2147483',
    ],
    [['--bogus'], "Unknown option '--bogus'"],
    // Node's recursive mkdir never returns for a folder under /proc (see start.test.ts).
    [
      ['--outbox', '/proc/msgs-nope'],
      '--outbox /proc/msgs-nope: cannot create the folder /proc/msgs-nope: ENOENT',
    ],
  ])('refuses %j with the usage line, exit 2', async (args, message) => {
    const { code, output } = await runScript('drill', args, {}, { killAfterMs: 20_000 });

    expect(code).toBe(2);
    expect(output).toContain(message);
    expect(output).toContain('Usage: npm run drill -- [--stage dev|prod]');
  });
});
