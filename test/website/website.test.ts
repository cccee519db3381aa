import type { Browser, Page } from 'puppeteer-core';
import { buildWebsite } from '../../bundling/website';
import { TEST_IDS } from '../../contract/website';
import { startApiGateway } from '../../local/api-gateway';
import type { ListeningServer } from '../../local/listening-server';
import { freePort } from '../../local/ports';
import { startWebsiteServer } from '../../local/website-server';
import { launchChromium } from '../../local/chromium';
import { startTestFunction, type TestFunction } from '../support/local-function';

const by = (id: keyof typeof TEST_IDS) => `[data-testid="${TEST_IDS[id]}"]`;

let fn: TestFunction;
let apiPort: number;
let gateway: ListeningServer;
let website: ListeningServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
let apiRequests: string[];

async function startGateway(): Promise<ListeningServer> {
  return startApiGateway({
    port: apiPort,
    allowedOrigins: [website.url],
    invoke: (event) => fn.fn.invoke(event),
  });
}

beforeAll(async () => {
  fn = await startTestFunction();
  apiPort = await freePort();
  const websitePort = await freePort();
  website = await startWebsiteServer({
    port: websitePort,
    build: buildWebsite(),
    config: { apiUrl: `http://127.0.0.1:${apiPort}` },
  });
  gateway = await startGateway();
  ({ browser, close: closeBrowser } = await launchChromium());
});
afterAll(async () => {
  await closeBrowser();
  await gateway.stop();
  await website.stop();
  await fn.fn.stop();
});

beforeEach(async () => {
  page = await browser.newPage();
  apiRequests = [];
  page.on('request', (request) => {
    if (request.url().startsWith(`http://127.0.0.1:${apiPort}`) && request.method() !== 'OPTIONS')
      apiRequests.push(`${request.method()} ${request.url()}`);
  });
  await page.goto(website.url, { waitUntil: 'networkidle0' });
});
afterEach(() => page.close());

const text = (selector: string) => page.$eval(selector, (element) => element.textContent ?? '');
const countShown = async () => Number((await text(by('count'))).replace(/,/g, ''));
const status = () => text(by('status'));

async function post(message: string): Promise<string> {
  await page.type(by('messageInput'), message);
  await page.click(by('postButton'));
  await page.waitForFunction(
    (selector) => (document.querySelector(selector)?.textContent ?? '') !== '',
    {},
    by('createdId'),
  );
  return text(by('createdId'));
}

async function lookUp(id: string): Promise<void> {
  await page.$eval(by('lookupInput'), (input) => ((input as HTMLInputElement).value = ''));
  await page.type(by('lookupInput'), id);
  await page.click(by('lookupButton'));
}

describe('the website in Chromium against the local API', () => {
  it('posts a message, shows its id, reads the same text back, and the count rises', async () => {
    await page.waitForFunction(
      (selector) => /^\d/.test(document.querySelector(selector)?.textContent ?? ''),
      {},
      by('count'),
    );
    const before = await countShown();
    const id = await post('Hello from the browser ✓');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await status()).toContain(id);
    await page.waitForFunction(
      (selector, want) => document.querySelector(selector)?.textContent === String(want),
      {},
      by('count'),
      before + 1,
    );

    await lookUp(id);
    await page.waitForFunction(
      (selector) => (document.querySelector(selector)?.textContent ?? '') !== '',
      {},
      by('lookupResult'),
    );
    expect(await text(by('lookupResult'))).toBe('Hello from the browser ✓');
  });

  it('shows a message with HTML as text and runs none of it', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const id = await post(hostile);
    await lookUp(id);
    await page.waitForFunction(
      (selector) => (document.querySelector(selector)?.textContent ?? '') !== '',
      {},
      by('lookupResult'),
    );
    expect(await text(by('lookupResult'))).toBe(hostile);
    expect(await page.$eval(by('lookupResult'), (element) => element.children.length)).toBe(0);
    expect(
      await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    expect(await page.$$('img')).toHaveLength(0);
  });

  it('refuses an invalid id before sending any request', async () => {
    await page.waitForFunction(
      (selector) => /^\d/.test(document.querySelector(selector)?.textContent ?? ''),
      {},
      by('count'),
    );
    apiRequests.length = 0;
    await lookUp('not-an-id');
    expect(await text('#lookup-error')).toContain('That is not a message id');
    expect(await page.$eval(by('lookupInput'), (input) => input.getAttribute('aria-invalid'))).toBe(
      'true',
    );
    expect(apiRequests).toEqual([]);
  });

  it('refuses an empty message before sending any request', async () => {
    apiRequests.length = 0;
    await page.type(by('messageInput'), '   ');
    await page.click(by('postButton'));
    expect(await text('#message-error')).toContain('cannot be empty');
    expect(apiRequests).toEqual([]);
  });

  it('refuses a message over 1,000 characters before sending, counting emoji as one character each', async () => {
    apiRequests.length = 0;
    await page.$eval(
      by('messageInput'),
      (input) => ((input as HTMLTextAreaElement).value = '😀'.repeat(1001)),
    );
    await page.click(by('postButton'));
    expect(await text('#message-error')).toBe('That is 1001 characters; the limit is 1000.');
    expect(apiRequests).toEqual([]);
    await page.$eval(
      by('messageInput'),
      (input) => ((input as HTMLTextAreaElement).value = '😀'.repeat(1000)),
    );
    await page.click(by('postButton'));
    await page.waitForFunction(
      (selector) => (document.querySelector(selector)?.textContent ?? '') !== '',
      {},
      by('createdId'),
    );
    expect(await page.$eval('#message-error', (element) => (element as HTMLElement).hidden)).toBe(
      true,
    );
  });

  it('says a message was not found for an unknown id', async () => {
    await lookUp('00000000-0000-4000-8000-000000000000');
    await page.waitForFunction(
      (selector) =>
        (document.querySelector(selector)?.textContent ?? '').includes('No message has this id'),
      {},
      by('status'),
    );
    expect(await page.$eval('#lookup-figure', (element) => (element as HTMLElement).hidden)).toBe(
      true,
    );
  });

  it('shows an error while the API is down, and recovers when it is back', async () => {
    await page.waitForFunction(
      (selector) => /^\d/.test(document.querySelector(selector)?.textContent ?? ''),
      {},
      by('count'),
    );
    await gateway.stop();
    try {
      await page.click(by('refreshCount'));
      await page.waitForFunction(
        (selector) =>
          (document.querySelector(selector)?.textContent ?? '').includes(
            'Could not reach the message service',
          ),
        {},
        by('status'),
      );
      expect(
        await page.$eval(by('status'), (element) => (element as HTMLElement).dataset.kind),
      ).toBe('error');
      await page.type(by('messageInput'), 'sent while down');
      await page.click(by('postButton'));
      await page.waitForFunction(
        (selector) =>
          (document.querySelector(selector)?.textContent ?? '').includes('was not posted'),
        {},
        by('status'),
      );
      expect(
        await page.$eval(by('postButton'), (button) => (button as HTMLButtonElement).disabled),
      ).toBe(false);
      expect(
        await page.$eval(by('messageInput'), (input) => (input as HTMLTextAreaElement).value),
      ).toBe('sent while down');
    } finally {
      gateway = await startGateway();
    }
    await page.click(by('refreshCount'));
    await page.waitForFunction(
      (selector) => /^\d/.test(document.querySelector(selector)?.textContent ?? ''),
      {},
      by('count'),
    );
    expect(await status()).toBe('');
    await page.click(by('postButton'));
    await page.waitForFunction(
      (selector) =>
        (document.querySelector(selector)?.textContent ?? '').startsWith('Message posted'),
      {},
      by('status'),
    );
  });

  it('works from the keyboard alone, with a visible focus', async () => {
    await page.focus(by('messageInput'));
    await page.keyboard.type('typed with keys');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    expect(focused).toBe(TEST_IDS.postButton);
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (selector) => (document.querySelector(selector)?.textContent ?? '') !== '',
      {},
      by('createdId'),
    );
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      TEST_IDS.copyId,
    );
  });

  it('copies the new id to the clipboard', async () => {
    await browser
      .defaultBrowserContext()
      .overridePermissions(website.url, [
        'clipboard-read',
        'clipboard-write',
        'clipboard-sanitized-write',
      ]);
    const id = await post('copy me');
    await page.click(by('copyId'));
    await page.waitForFunction(
      (selector) => (document.querySelector(selector)?.textContent ?? '').includes('copied'),
      {},
      by('status'),
    );
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(id);
  });

  it('labels every input, announces results in a live region, and fits a phone screen', async () => {
    const unlabelled = await page.$$eval(
      'input, textarea',
      (inputs) => inputs.filter((input) => (input as HTMLInputElement).labels?.length === 0).length,
    );
    expect(unlabelled).toBe(0);
    expect(
      await page.$eval(by('status'), (element) => [
        element.getAttribute('role'),
        element.getAttribute('aria-live'),
      ]),
    ).toEqual(['status', 'polite']);
    await page.setViewport({ width: 360, height: 740 });
    await post('a long message without spaces: ' + 'x'.repeat(300));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
  });

  it('sends an x-correlation-id with each API request', async () => {
    const sent: string[] = [];
    page.on('request', (request) => {
      const header = request.headers()['x-correlation-id'];
      if (header !== undefined) sent.push(header);
    });
    await page.click(by('refreshCount'));
    await fn.waitForLog(
      (entry) =>
        typeof entry.caller_correlation_id === 'string' &&
        sent.includes(entry.caller_correlation_id as string),
    );
    expect(sent[0]).toMatch(/^web-[0-9a-f-]{36}$/);
  });
});
