// @tier e2e
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CANARY_NAMES } from '../../contract/canaries';
import { freePort } from '../../local/ports';
import {
  commandOf,
  leftIn,
  npmRun,
  pollUntil,
  processTree,
  runScript,
  waitUntilGone,
  type NpmRun,
} from '../support/processes';

const USAGE = `Usage: npm run canary -- <${CANARY_NAMES.join('|')}>`;

describe('npm run canary', () => {
  it.each([
    ['an unknown canary', ['nope'], 'Which canary? "nope" is none of website, api'],
    ['no canary at all', [], 'Which canary? Name one: website or api'],
    ['an unknown option', ['api', '--bogus'], "Unknown option '--bogus'"],
    ['a second argument', ['api', 'extra'], "Unexpected argument 'extra': name one canary"],
    [
      'a website URL that is no URL',
      ['api', '--website-url', 'notaurl', '--api-url', 'https://example.com'],
      '--website-url is not an http(s) URL: notaurl',
    ],
    [
      'an API URL that is not http(s)',
      ['website', '--website-url', 'https://example.com', '--api-url', 'ftp://example.com'],
      '--api-url is not an http(s) URL: ftp://example.com',
    ],
  ])(
    'exits 2 for %s, with the problem and the usage line, running nothing',
    async (_case, args, problem) => {
      const { code, output } = await runScript('canary', args, { WEBSITE_URL: '', API_URL: '' });

      expect(code).toBe(2);
      const [said, usage, ...rest] = output.trimEnd().split('\n');
      expect(said).toContain(problem);
      expect(usage).toContain(USAGE);
      expect(rest).toEqual([]);
    },
  );

  it('names the variable when WEBSITE_URL is no URL', async () => {
    const { code, output } = await runScript('canary', ['api'], {
      WEBSITE_URL: 'notaurl',
      API_URL: 'https://example.com',
    });

    expect(code).toBe(2);
    expect(output).toContain('WEBSITE_URL is not an http(s) URL: notaurl');
    expect(output).not.toContain('Local system:');
  });

  it.each([
    ['api', '--website-url', '--api-url (or API_URL) is missing'],
    ['website', '--website-url', '--api-url (or API_URL) is missing'],
    ['api', '--api-url', '--website-url (or WEBSITE_URL) is missing'],
    ['website', '--api-url', '--website-url (or WEBSITE_URL) is missing'],
  ])('refuses `%s %s URL` alone, naming the missing flag, exit 2', async (canary, flag, said) => {
    const { code, output } = await runScript('canary', [canary, flag, 'https://example.com'], {
      WEBSITE_URL: '',
      API_URL: '',
    });

    expect(code).toBe(2);
    expect(output).toContain(said);
    expect(output).not.toContain('Local system:');
  });

  it('exits 1 naming the failed step when the API does not answer', async () => {
    const apiUrl = `http://127.0.0.1:${await freePort()}`;
    const websiteUrl = `http://127.0.0.1:${await freePort()}`;
    const { code, output } = await runScript('canary', [
      'api',
      '--api-url',
      apiUrl,
      '--website-url',
      websiteUrl,
    ]);
    expect(code).toBe(1);
    expect(output).toMatch(/^FAIL count \(\d+ ms\): /m);
    expect(output).toContain('msgs-local-api failed:');
    expect(output).not.toContain('Local system:');
  });

  describe('stopped while it runs', () => {
    let tmp: string;
    let run: NpmRun | undefined;
    beforeEach(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-stop-'));
    });
    afterEach(() => {
      if (run !== undefined && run.child.exitCode === null) run.child.kill('SIGKILL');
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    // npm sends SIGINT and SIGTERM on to the one process it started: the script must be it.
    it.each(['SIGINT', 'SIGTERM'] as const)(
      "ends the run and the local system when npm's PID alone is sent %s, leaving nothing behind",
      async (signal) => {
        run = npmRun('canary', ['website'], { TMPDIR: tmp, WEBSITE_URL: '', API_URL: '' });
        await run.waitForLine(/^Local system: /);
        const browserUp = () =>
          processTree(run!.child.pid!).some((pid) => commandOf(pid).includes('chromium'));
        expect(await pollUntil(browserUp, 30_000)).toBe(true);
        const everything = processTree(run.child.pid!);

        run.child.kill(signal);

        expect(await run.exited).toBe(1);
        expect(run.output()).toContain(`Canary run stopped (${signal})`);
        expect(await waitUntilGone(everything, 10_000)).toEqual([]);
        expect(leftIn(tmp)).toEqual([]);
      },
      60_000,
    );
  });
});
