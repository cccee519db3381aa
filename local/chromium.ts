import * as fs from 'node:fs';
import * as path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { beforeTemporaryRemoval, temporaryDir } from './temp-space';

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

export interface LaunchedChromium {
  readonly browser: Browser;
  /** The browser's own folder: its profile and its temporary files. */
  readonly directory: string;
  /** Ends the browser and removes its folder, also when the browser is already gone. */
  close(): Promise<void>;
}

/** Kills a browser and what it started (its process group): it cannot be asked any more. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Headless Chromium with a throw-away profile, in a folder of this process's temporary folder
 * (local/temp-space.ts): its profile there, and its own temporary files too (TMPDIR: with
 * --disable-dev-shm-usage its shared memory is files). The folder goes with `close()`, and, should
 * the process end without it, with the process (the browser killed first) or, after a SIGKILL,
 * with the next process that uses its temporary folder.
 */
export async function launchChromium(
  extraArgs: readonly string[] = [],
  {
    signal,
  }: {
    /** Kills the browser when aborted, also while it is starting (the launch then rejects). */
    readonly signal?: AbortSignal;
  } = {},
): Promise<LaunchedChromium> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's package (sudo apt-get install -y chromium) or set CHROME_PATH`,
    );
  }
  const directory = temporaryDir('chromium-');
  const userDataDir = path.join(directory, 'profile');
  const tmp = path.join(directory, 'tmp');
  fs.mkdirSync(tmp);
  const remove = () => fs.rmSync(directory, { recursive: true, force: true, maxRetries: 2 });
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, ...extraArgs],
      userDataDir,
      env: { ...process.env, TMPDIR: tmp },
      signal,
      // DevTools over a pipe rather than a port: when this process dies, however it died, the
      // pipe closes and Chromium exits with it.
      pipe: true,
      // A caller that stops on a signal itself (npm start's lifeline) closes the browser in its
      // own order: Puppeteer's handler would exit the process first (130 at Ctrl-C). A caller that
      // does not leaves it to Puppeteer, which then ends the browser with the process.
      handleSIGINT: process.listenerCount('SIGINT') === 0,
      handleSIGTERM: process.listenerCount('SIGTERM') === 0,
      handleSIGHUP: process.listenerCount('SIGHUP') === 0,
    });
  } catch (error: unknown) {
    remove();
    throw error;
  }
  // Puppeteer starts Chromium in a process group of its own.
  const pid = browser.process()?.pid;
  const forget = beforeTemporaryRemoval(() => killGroup(pid));
  return {
    browser,
    directory,
    close: async () => {
      try {
        await browser.close();
      } catch {
        // Gone already (killed, crashed): its profile is removed all the same.
      } finally {
        killGroup(pid);
        forget();
        remove();
      }
    },
  };
}
