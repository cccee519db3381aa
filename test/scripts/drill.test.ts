/**
 * `npm run drill` as a person runs it (its script under node, as npm runs it): it must pass, with
 * both emails in its outbox and the times it measured; a step that does not happen within its
 * bound fails it with a message naming the step; arguments it cannot use exit 2.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScript } from '../support/processes';

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

describe('npm run drill', () => {
  it('breaks prod\'s API and measures the time to the "site down" email and to the "OK" email', async () => {
    const outbox = path.join(work, 'outbox');

    const { code, output } = await runScript('drill', ['--outbox', outbox]);

    expect({ code, output }).toEqual({ code: 0, output: expect.any(String) });
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
  }, 180_000);

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
    [['--time-scale', '0'], '--time-scale "0" is not a number above 0 and at most 3600'],
    [['--within', 'soon'], '--within "soon" is not a number of seconds above 0'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j with the usage line, exit 2', async (args, message) => {
    const { code, output } = await runScript('drill', args);

    expect(code).toBe(2);
    expect(output).toContain(message);
    expect(output).toContain('Usage: npm run drill -- [--stage dev|prod]');
  });
});
