import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
/** Git-ignored folder for everything built from source. */
export const BUILD_DIR = path.join(PROJECT_ROOT, '.build');

/** Every file below `directory`, relative, with forward slashes, sorted. */
export function listFiles(directory: string, prefix = ''): string[] {
  return fs
    .readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? listFiles(path.join(directory, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
    )
    .sort();
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Moves a freshly built folder to `<parent>/<hash of its content>` and returns that path. Several
 * processes may build at once (test workers, synth, npm start): each publishes with one rename,
 * so no reader ever sees a half-written or deleted bundle. Builds older than a day are pruned.
 */
export function publishBuild(staging: string, parent: string): string {
  const hash = createHash('sha256');
  for (const file of listFiles(staging)) {
    hash.update(file).update('\0').update(fs.readFileSync(path.join(staging, file))).update('\0');
  }
  const target = path.join(parent, hash.digest('hex').slice(0, 16));
  if (fs.existsSync(target)) {
    fs.rmSync(staging, { recursive: true, force: true });
  } else {
    try {
      fs.renameSync(staging, target);
    } catch (error: unknown) {
      // Another process published the same content first.
      if (!fs.existsSync(target)) throw error;
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  const now = Date.now();
  for (const entry of fs.readdirSync(parent)) {
    const old = path.join(parent, entry);
    if (old !== target && !entry.startsWith('.') && now - fs.statSync(old).mtimeMs > DAY_MS) {
      fs.rmSync(old, { recursive: true, force: true });
    }
  }
  fs.utimesSync(target, new Date(), new Date());
  return target;
}

/** A fresh private folder under `parent` to build into before publishing. */
export function stagingDir(parent: string): string {
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, '.staging-'));
}
