import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDirectory } from './folders';

/** The lock file `npm start` keeps in its data directory while it runs. */
export const LOCK_FILE = 'npm-start.lock';

interface LockOwner {
  readonly pid: number;
  readonly startedAt: string;
}

/**
 * A second DynamoDB Local on the same files makes the first answer errors and loses writes, so a
 * data directory has one owner at a time.
 */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, owner: LockOwner) {
    super(
      `The data directory ${dataDir} is in use by another \`npm start\` (PID ${owner.pid}, since ${owner.startedAt}). ` +
        'Stop that one first, or start this one with --data-dir DIR or --in-memory. ' +
        `If PID ${owner.pid} is not an \`npm start\`, delete ${path.join(dataDir, LOCK_FILE)}.`,
    );
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  /** The owner whose lock was taken over because its process no longer runs. */
  readonly tookOverFrom: LockOwner | undefined;
  /** Removes the lock if it is still this process's. */
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return Number.isInteger(owner.pid) && typeof owner.startedAt === 'string'
      ? { pid: owner.pid as number, startedAt: owner.startedAt }
      : undefined;
  } catch {
    return undefined;
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException).code === code;
}

/**
 * Takes `dataDir` for this process: creates its lock file exclusively, or refuses with a
 * DataDirInUseError naming the running owner. A lock whose process is gone (killed, crashed) is
 * taken over; `tookOverFrom` says whose it was.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  ensureDirectory(dataDir);
  const file = path.join(dataDir, LOCK_FILE);
  const mine: LockOwner = { pid: process.pid, startedAt: new Date().toISOString() };
  let tookOverFrom: LockOwner | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
      return {
        tookOverFrom,
        release: () => {
          if (readOwner(file)?.pid === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (error: unknown) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
    // An unreadable lock is one whose owner died while writing it.
    const owner = readOwner(file) ?? { pid: 0, startedAt: 'unknown' };
    if (owner.pid !== 0 && isAlive(owner.pid)) throw new DataDirInUseError(dataDir, owner);
    // Move the stale lock aside rather than delete it: if another process took it over since
    // it was read, what was moved is that process's live lock, and it is put back.
    const aside = `${file}.${process.pid}`;
    try {
      fs.renameSync(file, aside);
    } catch (error: unknown) {
      if (isCode(error, 'ENOENT')) continue;
      throw error;
    }
    const moved = readOwner(aside);
    if (moved !== undefined && moved.pid !== owner.pid && isAlive(moved.pid)) {
      try {
        fs.linkSync(aside, file);
      } finally {
        fs.rmSync(aside, { force: true });
      }
      throw new DataDirInUseError(dataDir, moved);
    }
    fs.rmSync(aside, { force: true });
    tookOverFrom = owner;
  }
  throw new Error(`Could not take the lock ${file}: other processes keep changing it`);
}
