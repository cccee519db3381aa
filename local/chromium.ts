import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Debian's Chromium (never a browser a tool downloads); CHROME_PATH points elsewhere. */
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';

// The flags this machine needs: root without a sandbox, and no background connections to
// Google's hosts, which the closed network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Headless Chromium with a throw-away profile; `close()` ends it and removes the profile. */
export async function launchChromium(
  extraArgs: readonly string[] = [],
): Promise<{ browser: Browser; close(): Promise<void> }> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's package (sudo apt-get install -y chromium) or set CHROME_PATH`,
    );
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    userDataDir,
    // DevTools over a pipe rather than a port: when this process dies, however it died, the pipe
    // closes and Chromium exits with it.
    pipe: true,
    // A caller that stops on a signal itself (npm start's lifeline) closes the browser in its own
    // order: Puppeteer's handler would exit the process first (130 at Ctrl-C). A caller that does
    // not leaves it to Puppeteer, which then ends the browser with the process.
    handleSIGINT: process.listenerCount('SIGINT') === 0,
    handleSIGTERM: process.listenerCount('SIGTERM') === 0,
    handleSIGHUP: process.listenerCount('SIGHUP') === 0,
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
