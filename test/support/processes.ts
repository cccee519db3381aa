import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertPortFree } from '../../local/ports';

const ROOT = path.resolve(__dirname, '..', '..');

/** Whether `pid` runs; a zombie (exited, not yet reaped by its parent) does not. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return !fs.existsSync('/proc/self/stat');
  }
}

/**
 * Waits, at most `timeoutMs`, for every process in `pids` to exit, and returns those still alive.
 * A poll: the kernel offers no event for the exit of a process that is not our child.
 */
export async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  const alive = () => pids.filter(isAlive);
  while (alive().length > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  return alive();
}

/**
 * Resolves true once `condition` holds, false if it still does not after `timeoutMs`. For a state
 * that has no event to wait on (another process's, or an object's that emits none).
 */
export async function pollUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
}

export { childrenOf, processTree } from '../../tools/bench/process-tree';

/** The command line of `pid`, its arguments joined by spaces; '' once it is gone. */
export function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/**
 * What the processes run with TMPDIR=`tmp` left there, but for tsx's compile cache (`tsx-<uid>`,
 * kept by design and shared by every run).
 */
export function leftIn(tmp: string): string[] {
  return fs.readdirSync(tmp).filter((entry) => !/^tsx-/.test(entry));
}

/** Running processes whose command line contains `marker` (a test's own folder, say). */
export function processesWith(marker: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker) && isAlive(pid);
      } catch {
        return false;
      }
    });
}

/**
 * Waits, at most `timeoutMs`, until nothing listens on any of `ports`; returns those still taken.
 * A poll, for the same reason as waitUntilGone.
 */
export async function waitUntilPortsFree(
  ports: readonly number[],
  timeoutMs: number,
): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  const taken = async () => {
    const results = await Promise.all(
      ports.map((port) =>
        assertPortFree(port, 'probe', '').then(
          () => undefined,
          () => port,
        ),
      ),
    );
    return results.filter((port): port is number => port !== undefined);
  };
  let still = await taken();
  while (still.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    still = await taken();
  }
  return still;
}

/**
 * Runs `scripts/<name>.ts` as its npm script does, to its exit, with stdout and stderr together.
 * A script still running after `killAfterMs` is killed (SIGKILL; code null), so that a script that
 * hangs fails its test instead of outliving it.
 */
export function runScript(
  name: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  { killAfterMs = 50_000 }: { killAfterMs?: number } = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, output });
    });
  });
}

export interface NpmRun {
  readonly child: ChildProcess;
  /** stdout and stderr so far, together. */
  output(): string;
  /** Resolves with the first line (written or to come) matching `pattern`; rejects at its exit. */
  waitForLine(pattern: RegExp): Promise<string>;
  readonly exited: Promise<number | null>;
}

/**
 * `npm run <script> -- <args>` as a person types it (npm, its shell, the script), with `env` added
 * to the environment. The caller ends it (a test's afterEach kills what is left).
 */
export function npmRun(script: string, args: readonly string[], env: NodeJS.ProcessEnv): NpmRun {
  const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiting = new Set<() => void>();
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
      for (const wake of waiting) wake();
    }),
  );
  for (const stream of [child.stdout, child.stderr])
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const wake of waiting) wake();
    });
  const waitForLine = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = output.split('\n').find((candidate) => pattern.test(candidate));
        if (line === undefined && child.exitCode === null && child.signalCode === null) return;
        waiting.delete(check);
        if (line !== undefined) resolve(line);
        else
          reject(
            new Error(`npm run ${script} exited before a line matching ${pattern}:\n${output}`),
          );
      };
      waiting.add(check);
      check();
    });
  return { child, output: () => output, waitForLine, exited };
}
