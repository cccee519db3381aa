import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { version as esbuildVersion } from 'esbuild';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
/** Git-ignored folder for everything built from source. */
export const BUILD_DIR = path.join(PROJECT_ROOT, '.build');

/** Every file below `directory`, relative, with forward slashes, sorted. */
export function listFiles(directory: string, prefix = ''): string[] {
  return fs
    .readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(path.join(directory, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

/** Hash of the named files and folders (relative to the project), and of the build tool's version. */
function inputHash(inputs: readonly string[]): string {
  const hash = createHash('sha256').update(`esbuild ${esbuildVersion}\0`);
  for (const input of inputs) {
    const absolute = path.join(PROJECT_ROOT, input);
    const files = fs.statSync(absolute).isDirectory()
      ? listFiles(absolute).map((file) => path.join(input, file))
      : [input];
    for (const file of files) {
      hash
        .update(file)
        .update('\0')
        .update(fs.readFileSync(path.join(PROJECT_ROOT, file)))
        .update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs `build` into a fresh folder unless a build of the same inputs exists, and returns
 * `.build/<kind>/<hash of the inputs>`. The build is published with one rename, so several
 * processes (test workers, synth, `npm start`) may build at once and none ever sees a half-written
 * folder; an unchanged project synthesizes without running esbuild. Builds unused for a day are
 * pruned. `inputs` must name everything the build reads, package-lock.json standing for node_modules.
 */
export function buildOnce(
  kind: string,
  inputs: readonly string[],
  build: (outdir: string) => void,
): string {
  const parent = path.join(BUILD_DIR, kind);
  const target = path.join(parent, inputHash(inputs));
  const now = new Date();
  if (!fs.existsSync(target)) {
    fs.mkdirSync(parent, { recursive: true });
    const staging = fs.mkdtempSync(path.join(parent, '.staging-'));
    try {
      build(staging);
      fs.renameSync(staging, target);
    } catch (error: unknown) {
      fs.rmSync(staging, { recursive: true, force: true });
      // Another process published the same inputs first.
      if (!fs.existsSync(target)) throw error;
    }
  }
  fs.utimesSync(target, now, now);
  for (const entry of fs.readdirSync(parent)) {
    const old = path.join(parent, entry);
    if (old !== target && now.getTime() - fs.statSync(old).mtimeMs > DAY_MS)
      fs.rmSync(old, { recursive: true, force: true });
  }
  return target;
}
