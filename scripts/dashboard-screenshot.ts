/**
 * `npm run dashboard:screenshot -- <monitor URL> <output.png> [--width 1280]`: a PNG of a running
 * monitor's dashboard page, taken with Debian's Chromium once every widget has been drawn (the
 * README's screenshot is taken with it after a drill). Exits 2 on bad arguments, 1 when the page
 * cannot be shown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOCAL_PORTS } from '../contract/local-ports';
import { launchChromium } from '../local/chromium';
import { PAGE_MARKS } from '@monitored/cloudwatch-local';
import { parseCommandLine, refuse, UsageError, wholeNumberOption } from './usage';

const USAGE = `Usage: npm run dashboard:screenshot -- <monitor URL> <output.png> [--width 1280] (the URL of a running monitor, e.g. http://127.0.0.1:${LOCAL_PORTS.monitor}/)`;
/** How long the page may take to draw every widget. */
const DRAWN_WITHIN_MS = 30_000;
const MIN_WIDTH = 320;
const MAX_WIDTH = 3840;

function readArguments(): { url: URL; output: string; width: number } {
  const parsed = parseCommandLine({
    allowPositionals: true,
    options: { width: { type: 'string' } },
  });
  const [address, output, ...extra] = parsed.positionals;
  if (address === undefined || output === undefined || extra.length > 0)
    throw new UsageError('give the monitor URL and the output file');
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new UsageError(`${JSON.stringify(address)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${address} is not an http(s) URL`);
  if (path.extname(output).toLowerCase() !== '.png')
    throw new UsageError(`${output}: the output must be a .png file`);
  if (!fs.existsSync(path.dirname(path.resolve(output))))
    throw new UsageError(`${output}: its folder does not exist`);
  // Before the browser starts: a folder can exist and still refuse the file (/proc, a read-only
  // file system). A file made for the check is removed again.
  const existed = fs.existsSync(output);
  try {
    fs.closeSync(fs.openSync(output, 'a'));
    if (!existed) fs.rmSync(output);
  } catch (error: unknown) {
    throw new UsageError(`${output}: cannot write this file (${(error as Error).message})`);
  }
  const width =
    parsed.values.width === undefined ? 1280 : wholeNumberOption('--width', parsed.values.width);
  if (width < MIN_WIDTH || width > MAX_WIDTH)
    throw new UsageError(
      `--width must be a whole number of pixels from ${MIN_WIDTH} to ${MAX_WIDTH}`,
    );
  return { url, output, width };
}

async function main(): Promise<number> {
  let args;
  try {
    args = readArguments();
  } catch (error: unknown) {
    if (!(error instanceof UsageError)) throw error;
    return refuse(error, USAGE);
  }
  const chromium = await launchChromium();
  try {
    const page = await chromium.browser.newPage();
    await page.setViewport({ width: args.width, height: 900 });
    const response = await page.goto(args.url.href, { waitUntil: 'load' });
    if (response === null || !response.ok())
      throw new Error(`${args.url.href} answered ${response?.status() ?? 'nothing'}`);
    // Drawn: the first refresh is over and no widget is still loading.
    await page.waitForFunction(
      (grid: string, widget: string) => {
        const shown = document.querySelector(grid);
        return (
          shown !== null &&
          Number(shown.getAttribute('data-refreshes')) > 0 &&
          document.querySelectorAll(`${widget}[data-state="loading"]`).length === 0
        );
      },
      { timeout: DRAWN_WITHIN_MS },
      PAGE_MARKS.grid,
      PAGE_MARKS.widget,
    );
    await page.screenshot({ path: args.output as `${string}.png`, fullPage: true });
    process.stdout.write(
      `${args.output}: the dashboard at ${args.url.href}, ${args.width} px wide\n`,
    );
    return 0;
  } finally {
    await chromium.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `dashboard screenshot failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
