// @tier e2e
import type { Browser, Page } from 'puppeteer-core';
import { buildWebsite } from '../../bundling/website';
import { TEST_IDS } from '../../contract/website';
import { startApiGateway } from '../../local/api-gateway';
import type { ListeningServer } from '@monitored/cloudwatch-local';
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
  const previous = await text(by('createdId'));
  await page.type(by('messageInput'), message);
  await page.click(by('postButton'));
  await page.waitForFunction(
    (selector, old) => {
      const shown = document.querySelector(selector)?.textContent ?? '';
      return shown !== '' && shown !== old;
    },
    {},
    by('createdId'),
    previous,
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

  it('says a message was not found for an unknown id, next to the lookup form', async () => {
    await lookUp('00000000-0000-4000-8000-000000000000');
    await page.waitForFunction(
      (selector) =>
        (document.querySelector(selector)?.textContent ?? '').includes('No message has this id'),
      {},
      by('lookupStatus'),
    );
    const nextToTheForm = await page.evaluate(
      (status, input) => {
        const section = document.querySelector(input)?.closest('section');
        return section !== null && section === document.querySelector(status)?.closest('section');
      },
      by('lookupStatus'),
      by('lookupInput'),
    );
    expect(nextToTheForm).toBe(true);
    expect(await status()).not.toContain('No message has this id');
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
          (document.querySelector(selector)?.textContent ?? '').includes(
            'may not have been posted. Press Post again: it will not be posted twice.',
          ),
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

  it('names the real cause when the message store is down, not a busy service', async () => {
    // The same function, but with DynamoDB out of reach: it answers 503 SERVICE_UNAVAILABLE.
    const storeDown = await startTestFunction('http://127.0.0.1:1', 'unreachable', {
      createTable: false,
    });
    await gateway.stop();
    gateway = await startApiGateway({
      port: apiPort,
      allowedOrigins: [website.url],
      invoke: (event) => storeDown.fn.invoke(event),
    });
    try {
      await page.click(by('refreshCount'));
      await page.waitForFunction(
        (selector) =>
          (document.querySelector(selector)?.textContent ?? '').includes(
            'The message store is unavailable.',
          ),
        { timeout: 15_000 },
        by('status'),
      );
      expect(await status()).not.toContain('busy');
    } finally {
      await gateway.stop();
      gateway = await startGateway();
      await storeDown.fn.stop();
    }
  });

  it.each([360, 1280])(
    "shows an API error quoting a request's text by the one rule at %i px: the override is an escape and reorders nothing",
    async (width) => {
      // No request the page makes gets an answer quoting hostile text from the real API (it
      // checks ids and sends JSON itself): a function that answers with one stands in for it.
      await gateway.stop();
      gateway = await startApiGateway({
        port: apiPort,
        allowedOrigins: [website.url],
        invoke: () =>
          Promise.resolve({
            statusCode: 400,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              error: { code: 'INVALID_JSON', message: 'Unknown field "\u202eegassem"' },
              requestId: 'r-1',
            }),
          }),
      });
      try {
        await page.setViewport({ width, height: 800 });
        await page.type(by('messageInput'), 'hello');
        await page.click(by('postButton'));
        await page.waitForFunction(
          (selector) => (document.querySelector(selector)?.textContent ?? '').includes('Unknown'),
          { timeout: 15_000 },
          by('status'),
        );

        expect(await status()).toContain('Unknown field "\\u202eegassem"');
        expect(await status()).not.toContain('\u202e');
        expect(
          await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
        ).toBeLessThanOrEqual(0);
      } finally {
        await gateway.stop();
        gateway = await startGateway();
      }
    },
  );

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

  /** The visual left edge of each character of the text nodes under `selector`, with its line. */
  const glyphBoxes = (selector: string) =>
    page.$eval(selector, (root) => {
      const boxes: { char: string; left: number; top: number }[] = [];
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (let i = 0; i < text.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getBoundingClientRect();
          if (rect.width > 0)
            boxes.push({ char: text[i], left: rect.left, top: Math.round(rect.top) });
        }
      }
      return boxes;
    });

  /** Whether the characters of each line run left to right, in the order of the text. */
  const leftToRight = (boxes: { left: number; top: number }[]) =>
    boxes.every(
      (box, i) => i === 0 || box.top !== boxes[i - 1].top || box.left > boxes[i - 1].left,
    );

  it('shows a message with a right-to-left override isolated: the id after it keeps its order', async () => {
    // U+202E would otherwise reverse the rest of the line, the id included: "abc" then the id spoofed.
    const id = await post('abc\u202edef.exe');
    expect(
      await page.$eval(by('createdMessage'), (element) => [
        element.tagName,
        getComputedStyle(element).unicodeBidi,
        element.textContent,
      ]),
    ).toEqual(['BDI', 'isolate', 'abc\u202edef.exe']);
    const idBoxes = await glyphBoxes(by('createdId'));
    expect(idBoxes.map((box) => box.char).join('')).toBe(id);
    expect(leftToRight(idBoxes)).toBe(true);
    const line = await page.$eval(by('createdMessage'), (element) => element.parentElement?.id);
    const labelBoxes = (await glyphBoxes(`#${line}`)).filter(
      (box) => !'abcdef.exe\u202e'.includes(box.char) && !id.includes(box.char),
    );
    expect(labelBoxes.length).toBeGreaterThan(5);
    expect(leftToRight(labelBoxes)).toBe(true);
  });

  it('lays out a right-to-left message right to left, in an isolated block', async () => {
    const id = await post('שלום, עולם');
    await lookUp(id);
    await page.waitForFunction(
      (selector) => (document.querySelector(selector)?.textContent ?? '') !== '',
      {},
      by('lookupResult'),
    );
    expect(
      await page.$eval(by('lookupResult'), (element) => [
        element.getAttribute('dir'),
        getComputedStyle(element).direction,
        getComputedStyle(element).unicodeBidi,
      ]),
    ).toEqual(['auto', 'rtl', 'isolate']);
  });

  it('keeps combining marks from painting over the buttons', async () => {
    // Each mark stacks on the one before: unclipped, they paint far above and below their line.
    const zalgo =
      'Z' +
      '\u0301\u0302\u0303\u0304\u0306\u0307\u0308\u030a\u030b\u030c'.repeat(10) +
      '\u0316\u0317\u0318\u0319\u031c\u031d'.repeat(15);
    /** The pixels of `control`, and the same with the message hidden (its layout kept). */
    const withAndWithout = async (message: string, control: string) => {
      const shot = async () => Buffer.from(await (await page.$(control))!.screenshot());
      const shown = await shot();
      await page.$eval(
        message,
        (element) => ((element as HTMLElement).style.visibility = 'hidden'),
      );
      const hidden = await shot();
      await page.$eval(message, (element) => ((element as HTMLElement).style.visibility = ''));
      return shown.equals(hidden);
    };

    const id = await post(zalgo);
    expect(await withAndWithout(by('createdMessage'), by('copyId'))).toBe(true);
    expect(await withAndWithout(by('createdMessage'), by('postButton'))).toBe(true);
    await lookUp(id);
    await page.waitForFunction(
      (selector) => (document.querySelector(selector)?.textContent ?? '').startsWith('Z'),
      {},
      by('lookupResult'),
    );
    expect(await withAndWithout(by('lookupResult'), by('lookupButton'))).toBe(true);
  });

  it('breaks an id across lines only after one of its dashes', async () => {
    await page.setViewport({ width: 320, height: 740 });
    const id = await post('wrap my id');
    const boxes = await glyphBoxes(by('createdId'));
    const breaksAfter = boxes
      .filter((box, i) => i + 1 < boxes.length && boxes[i + 1].top !== box.top)
      .map((box) => box.char);
    expect(boxes.map((box) => box.char).join('')).toBe(id);
    expect(breaksAfter.length).toBeGreaterThan(0);
    expect(breaksAfter.every((char) => char === '-')).toBe(true);
  });

  it("clears a field's error as soon as it no longer applies", async () => {
    await page.type(by('messageInput'), '\u200b');
    await page.click(by('postButton'));
    expect(await page.$eval('#message-error', (element) => (element as HTMLElement).hidden)).toBe(
      false,
    );
    await page.type(by('messageInput'), 'x');
    expect(await page.$eval('#message-error', (element) => (element as HTMLElement).hidden)).toBe(
      true,
    );
    expect(
      await page.$eval(by('messageInput'), (input) => input.getAttribute('aria-invalid')),
    ).toBeNull();

    await lookUp('not-an-id');
    expect(await page.$eval('#lookup-error', (element) => (element as HTMLElement).hidden)).toBe(
      false,
    );
    await page.$eval(by('lookupInput'), (input) => ((input as HTMLInputElement).value = ''));
    await page.type(by('lookupInput'), '00000000-0000-4000-8000-000000000000');
    expect(await page.$eval('#lookup-error', (element) => (element as HTMLElement).hidden)).toBe(
      true,
    );
  });

  it('refuses a message of invisible characters only, by the same rule as the API', async () => {
    apiRequests.length = 0;
    await page.type(by('messageInput'), '\u200b\u2060\u202e ');
    await page.click(by('postButton'));
    expect(await text('#message-error')).toContain('cannot be empty');
    expect(apiRequests).toEqual([]);
  });

  it('gives a posted message a link that opens the page with it looked up', async () => {
    const id = await post('follow the link');
    const href = await page.$eval(by('shareLink'), (link) => (link as HTMLAnchorElement).href);
    expect(href).toBe(`${website.url}/?id=${id}`);

    await page.goto(href, { waitUntil: 'networkidle0' });
    await page.waitForFunction(
      (selector) => (document.querySelector(selector)?.textContent ?? '') !== '',
      {},
      by('lookupResult'),
    );
    expect(await text(by('lookupResult'))).toBe('follow the link');
    expect(await page.$eval(by('lookupInput'), (input) => (input as HTMLInputElement).value)).toBe(
      id,
    );
  });

  it('refuses an invalid id in the link as it refuses a typed one, without a request for it', async () => {
    apiRequests.length = 0;
    await page.goto(`${website.url}/?id=..%2Fadmin`, { waitUntil: 'networkidle0' });
    expect(await text('#lookup-error')).toContain('That is not a message id');
    expect(apiRequests.filter((request) => request.includes('/messages/'))).toEqual([]);
  });

  it('sends one Idempotency-Key per post: the same for every retry of it, a new one for the next', async () => {
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') keys.push(request.headers()['idempotency-key']);
    });
    await gateway.stop();
    try {
      await page.type(by('messageInput'), 'retried by hand');
      await page.click(by('postButton'));
      await page.waitForFunction(
        (selector) =>
          (document.querySelector(selector)?.textContent ?? '').includes('Press Post again'),
        {},
        by('status'),
      );
    } finally {
      gateway = await startGateway();
    }
    await page.click(by('postButton'));
    await page.waitForFunction(
      (selector) =>
        (document.querySelector(selector)?.textContent ?? '').startsWith('Message posted'),
      {},
      by('status'),
    );
    await post('the next post');

    // Two attempts while the API was down (the page's own retry), the person's retry, the next post.
    expect(keys).toHaveLength(4);
    expect(keys[0]).toMatch(/^"[0-9a-f-]{36}"$/);
    expect(keys.slice(0, 3)).toEqual([keys[0], keys[0], keys[0]]);
    expect(keys[3]).not.toBe(keys[0]);
  });

  it('retries a post whose answer was lost with the same key: the message is stored once', async () => {
    await gateway.stop();
    // The function stores the message, then the answer is lost: the client sees API Gateway's 500.
    let loseNextAnswer = true;
    gateway = await startApiGateway({
      port: apiPort,
      allowedOrigins: [website.url],
      invoke: async (event) => {
        const result = await fn.fn.invoke(event);
        if (loseNextAnswer && event.routeKey === 'POST /messages') {
          loseNextAnswer = false;
          throw new Error('Runtime.ExitError');
        }
        return result;
      },
    });
    try {
      await page.waitForFunction(
        (selector) => /^\d/.test(document.querySelector(selector)?.textContent ?? ''),
        {},
        by('count'),
      );
      const before = await countShown();
      const keys: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST') keys.push(request.headers()['idempotency-key']);
      });
      const id = await post('stored once, answered twice');
      expect(keys).toHaveLength(2);
      expect(keys[1]).toBe(keys[0]);
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
      expect(await text(by('lookupResult'))).toBe('stored once, answered twice');
    } finally {
      await gateway.stop();
      gateway = await startGateway();
    }
  });
});
