/**
 * Making a folder a person named (an option, a variable) in a way that always ends: Node's own
 * recursive mkdir does not, for a path under /proc. Small and free of heavy imports: the scripts
 * check their folders with it before anything else loads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A folder that cannot be made; the message says which and why, in a sentence. */
export class UnusablePathError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot create the folder ${path}: ${reason}`);
    this.name = 'UnusablePathError';
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException).code === code;
}

/**
 * Creates `dir` and its missing parents, or throws an UnusablePathError. Not Node's
 * `mkdirSync(dir, { recursive: true })`: that one never returns for a folder under /proc (mkdir
 * says ENOENT, the parent exists, so it tries again, forever, at full CPU and deaf to signals).
 * Here each missing folder is made once, from the nearest one that exists down.
 */
export function ensureDirectory(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(current);
    } catch (error: unknown) {
      if (!isCode(error, 'ENOENT') && !isCode(error, 'ENOTDIR'))
        throw new UnusablePathError(dir, (error as Error).message);
      missing.unshift(current);
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
      continue;
    }
    if (!stat.isDirectory()) throw new UnusablePathError(dir, `${current} is a file, not a folder`);
    break;
  }
  for (const folder of missing) {
    try {
      fs.mkdirSync(folder);
    } catch (error: unknown) {
      // Made meanwhile by another process: fine if it is a folder.
      if (isCode(error, 'EEXIST') && fs.statSync(folder).isDirectory()) continue;
      throw new UnusablePathError(dir, (error as Error).message);
    }
  }
}
