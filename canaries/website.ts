import type { HTTPRequest, Page } from 'puppeteer-core';
import { API_GATEWAY_REQUEST_ID_HEADER, CORRELATION_ID_HEADER } from '../contract/api';
import { CANARY_ENV, canaryCorrelationId, steps, writeRequestIds } from '../contract/canaries';
import { TEST_IDS } from '../contract/website';
import { requireUrl, synthetics, type SyntheticsLogger } from './runtime';

const by = (id: keyof typeof TEST_IDS) => `[data-testid="${TEST_IDS[id]}"]`;
const TIMEOUT_MS = 15_000;

async function textOf(page: Page, id: keyof typeof TEST_IDS): Promise<string> {
  return page.$eval(by(id), (element) => element.textContent ?? '');
}

/** Waits until `id` shows text matching `pattern`; fails with what the page's status line says instead. */
async function waitForText(
  page: Page,
  id: keyof typeof TEST_IDS,
  pattern: RegExp,
): Promise<string> {
  try {
    await page.waitForFunction(
      (selector, source) =>
        new RegExp(source).test(document.querySelector(selector)?.textContent ?? ''),
      { timeout: TIMEOUT_MS },
      by(id),
      pattern.source,
    );
  } catch {
    throw new Error(
      `"${TEST_IDS[id]}" never showed ${pattern}; the page says: "${await textOf(page, 'status')}"`,
    );
  }
  return textOf(page, id);
}

/**
 * Marks the page's API calls as this canary's: each call's own x-correlation-id (the page sends
 * `web-<uuid>`) is replaced by `canary-<canary>-<step>-<uuid>` and logged under the current step
 * before the request goes out. Only requests that carry the header are API calls; the page's own
 * files go out untouched. Cooperative interception (a priority on continue) leaves room for any
 * handler the Synthetics library adds.
 */
async function markApiCalls(
  page: Page,
  log: SyntheticsLogger,
  canary: string,
  currentStep: () => string,
): Promise<void> {
  await page.setRequestInterception(true);
  const marked = new WeakMap<HTTPRequest, string>();
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    const headers = request.headers();
    let overrides = {};
    if (headers[CORRELATION_ID_HEADER] !== undefined) {
      const correlationId = canaryCorrelationId(canary, currentStep());
      marked.set(request, correlationId);
      log.info(
        `${currentStep()}: ${request.method()} ${request.url()} ${writeRequestIds({ correlationId })}`,
      );
      overrides = { headers: { ...headers, [CORRELATION_ID_HEADER]: correlationId } };
    }
    request.continue(overrides, 0).catch((error: unknown) => {
      log.warn(
        `${currentStep()}: could not send ${request.method()} ${request.url()}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  });
  // Each answer to an API call, with API Gateway's request id: with the correlation id it finds
  // the function's lines and API Gateway's access-log line of the request.
  page.on('response', (response) => {
    const correlationId = marked.get(response.request());
    if (correlationId === undefined) return;
    const apiGatewayRequestId = response.headers()[API_GATEWAY_REQUEST_ID_HEADER];
    log.info(
      `${currentStep()}: HTTP ${response.status()} ${writeRequestIds({ correlationId, ...(apiGatewayRequestId !== undefined && { apiGatewayRequestId }) })}`,
    );
  });
}

/**
 * The website journey in a real browser: the page loads and shows the count, a person posts a
 * message and gets its id, looks it up and reads the same text, and the count rose.
 */
const STEP = steps('website');

export const handler = async (): Promise<string> => {
  const { synthetics: library, log } = synthetics();
  const websiteUrl = requireUrl(CANARY_ENV.websiteUrl);
  library.getConfiguration().setConfig({
    screenshotOnStepStart: false,
    screenshotOnStepSuccess: false,
    screenshotOnStepFailure: true,
  });
  const page = await library.getPage();
  let step = 'start';
  await markApiCalls(page, log, library.getCanaryName(), () => step);

  const before = await library.executeStep((step = STEP.open), async () => {
    const response = await page.goto(websiteUrl, {
      waitUntil: 'domcontentloaded',
      timeout: TIMEOUT_MS,
    });
    if (response === null || !response.ok())
      throw new Error(`open: HTTP ${response?.status() ?? 'no response'} for ${websiteUrl}`);
    return Number((await waitForText(page, 'count', /^\d[\d,]*$/)).replace(/,/g, ''));
  });

  const text = `website canary ${new Date().toISOString()}`;
  const id = await library.executeStep((step = STEP.post), async () => {
    await page.type(by('messageInput'), text);
    await page.click(by('postButton'));
    return waitForText(page, 'createdId', /^[0-9a-f-]{36}$/);
  });

  await library.executeStep((step = STEP['look-up']), async () => {
    await page.type(by('lookupInput'), id);
    await page.click(by('lookupButton'));
    const shown = await waitForText(page, 'lookupResult', /./);
    if (shown !== text) throw new Error(`look-up: expected "${text}", the page shows "${shown}"`);
  });

  await library.executeStep((step = STEP['count-rose']), async () => {
    try {
      await page.waitForFunction(
        (selector, previous) =>
          Number((document.querySelector(selector)?.textContent ?? '').replace(/,/g, '')) >
          previous,
        { timeout: TIMEOUT_MS },
        by('count'),
        before,
      );
    } catch {
      throw new Error(
        `count-rose: the page showed ${before} before posting and "${await textOf(page, 'count')}" after`,
      );
    }
  });
  return 'website journey passed';
};
