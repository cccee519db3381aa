/**
 * When the local system must stop: a signal (Ctrl-C, SIGTERM, SIGHUP), or the end of what started
 * it. npm runs a script through `sh -c`, and forwards SIGINT and SIGTERM to that shell only
 * (@npmcli/run-script's signal-manager); dash, run with -c, catches SIGINT and waits for its
 * command, so a `kill -INT` to npm's PID alone never reached this process. The project's npm
 * scripts therefore `exec` node: npm → node, and npm's forwarded signals arrive here. This
 * process still watches its launchers, for npm killed with SIGKILL (which forwards nothing): its
 * parent, and npm too when it runs under a shell (a script without `exec`, a shell of its own).
 * Small on purpose: scripts/start.ts loads it before anything else, so that the watch covers
 * start-up.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The reason a stop was requested, as `AbortSignal.reason`. */
export class StopRequest extends Error {
  constructor(readonly why: string) {
    super(`stopping: ${why}`);
    this.name = 'StopRequest';
  }
}

export interface Lifeline {
  /** Aborted, with a StopRequest as its reason, when the system must stop. */
  readonly signal: AbortSignal;
  /** Called on each further stop signal while stopping: whoever sent it has stopped waiting. */
  onRepeatedSignal(listener: (signal: NodeJS.Signals) => void): void;
}

const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh', 'ash', 'ksh']);
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const POLL_MS = 200;
/**
 * A stop signal this soon after the first is the same one arriving twice, not a second request:
 * a terminal sends Ctrl-C to every process of its foreground group, npm among them, and npm sends
 * it on to this process at once (a process manager that signals a whole group does the same).
 * A person who presses Ctrl-C again does so later than this.
 */
const ECHO_MS = 1_000;

interface ProcessInfo {
  readonly parent: number;
  readonly command: string;
}

/** A process's parent and command name, from /proc (Linux) or ps (macOS); undefined if it is gone. */
function processInfo(pid: number): ProcessInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may itself hold spaces and parentheses.
    const close = stat.lastIndexOf(')');
    const [, parent] = stat.slice(close + 2).split(' ');
    return { parent: Number(parent), command: stat.slice(stat.indexOf('(') + 1, close) };
  } catch {
    if (fs.existsSync('/proc/self/stat')) return undefined;
  }
  try {
    const [parent, ...command] = execFileSync('ps', ['-o', 'ppid=,comm=', '-p', String(pid)], {
      encoding: 'utf8',
    })
      .trim()
      .split(/\s+/);
    return { parent: Number(parent), command: path.basename(command.join(' ')) };
  } catch {
    return undefined;
  }
}

/**
 * The chain of processes this one lives under while it must run: [parent] or, when npm ran it
 * through a shell, [shell, npm]. Each must stay the parent of the one below it.
 */
function launchers(): number[] {
  const parent = process.ppid;
  if (process.env.npm_lifecycle_event === undefined) return [parent];
  const shell = processInfo(parent);
  if (shell === undefined || !SHELLS.has(shell.command) || shell.parent <= 1) return [parent];
  return [parent, shell.parent];
}

/**
 * Starts watching for a reason to stop. A broken chain of launchers is read from /proc where
 * there is one (a parent that died hands its children to another process at once, even while it
 * is a zombie); elsewhere the launcher is probed with signal 0.
 */
export function holdLifeline(): Lifeline {
  const controller = new AbortController();
  const repeated: ((signal: NodeJS.Signals) => void)[] = [];
  let requestedAt = 0;
  const request = (why: string) => {
    clearInterval(timer);
    if (controller.signal.aborted) return;
    requestedAt = performance.now();
    controller.abort(new StopRequest(why));
  };
  for (const name of STOP_SIGNALS) {
    process.on(name, () => {
      if (!controller.signal.aborted) request(name);
      else if (performance.now() - requestedAt >= ECHO_MS)
        for (const listener of repeated) listener(name);
    });
  }

  const [parent, npm] = launchers();
  const hasProc = fs.existsSync('/proc/self/stat');
  const npmGone = () => {
    if (npm === undefined) return false;
    if (hasProc) return processInfo(parent)?.parent !== npm;
    try {
      process.kill(npm, 0);
      return false;
    } catch {
      return true;
    }
  };
  const timer = setInterval(() => {
    if (process.ppid !== parent) request(`its parent process (PID ${parent}) exited`);
    else if (npmGone()) request(`npm (PID ${npm}) exited`);
  }, POLL_MS);
  timer.unref();
  return {
    signal: controller.signal,
    onRepeatedSignal: (listener) => repeated.push(listener),
  };
}
