/**
 * The one place a process of this project keeps temporary files: a folder of its own,
 * `<tmpdir>/msgs-<pid>`, made on first use. Every temporary folder (a browser's profile, a canary
 * run's unpacked zip, the emails of an `npm start --in-memory`, a synth's output) is made in it.
 * It is removed when the process exits, however it exits short of SIGKILL (its browsers are killed
 * first, so that none writes into it meanwhile); and the first process to use its own after a
 * SIGKILL removes the folders whose process no longer runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PREFIX = 'msgs-';
const OWNED = /^msgs-(\d+)$/;

let root: string | undefined;
const beforeRemoval = new Set<() => void>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the folders of processes that no longer run (killed with SIGKILL, or crashed). */
function removeAbandoned(tmp: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(tmp);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(OWNED.exec(entry)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    // Another user's, or another process removing it at the same time: not ours to insist on.
    fs.rmSync(path.join(tmp, entry), { recursive: true, force: true, maxRetries: 2 });
  }
}

function removeRoot(): void {
  if (root === undefined) return;
  for (const stop of beforeRemoval) {
    try {
      stop();
    } catch {
      // A process already gone; the folder is removed all the same.
    }
  }
  fs.rmSync(root, { recursive: true, force: true, maxRetries: 2 });
  root = undefined;
}

/** This process's temporary folder, made (and the abandoned ones removed) on first use. */
export function temporaryRoot(): string {
  if (root !== undefined) return root;
  const tmp = os.tmpdir();
  removeAbandoned(tmp);
  const folder = path.join(tmp, `${PREFIX}${process.pid}`);
  // One left by an earlier process with this PID (which no longer runs, since this one has it).
  fs.rmSync(folder, { recursive: true, force: true });
  try {
    fs.mkdirSync(folder, { mode: 0o700 });
  } catch (error: unknown) {
    throw new Error(
      `Cannot make a temporary folder in ${tmp} (TMPDIR): ${(error as Error).message}`,
      { cause: error },
    );
  }
  root = folder;
  process.once('exit', removeRoot);
  return folder;
}

/** A new folder in this process's temporary folder, named `<prefix>XXXXXX`. */
export function temporaryDir(prefix: string): string {
  return fs.mkdtempSync(path.join(temporaryRoot(), prefix));
}

/**
 * Runs `stop` (synchronously) before the folder is removed at exit: a browser writing into its
 * profile is killed first. Returns a function that forgets it again.
 */
export function beforeTemporaryRemoval(stop: () => void): () => void {
  beforeRemoval.add(stop);
  return () => beforeRemoval.delete(stop);
}
