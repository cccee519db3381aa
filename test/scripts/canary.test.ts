import { CANARY_NAMES } from '../../contract/canaries';
import { freePort } from '../../local/ports';
import { runScript } from '../support/processes';

const USAGE = `Which canary? npm run canary -- <${CANARY_NAMES.join('|')}>`;

describe('npm run canary', () => {
  it.each([
    ['an unknown canary', ['nope']],
    ['no canary at all', []],
  ])('exits 2 with the usage line for %s', async (_case, args) => {
    const { code, output } = await runScript('canary', args);
    expect(code).toBe(2);
    expect(output).toContain(USAGE);
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
});
