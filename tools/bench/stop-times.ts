/**
 * How long a stop takes, as a person or a process manager asks for it: `npm start` and `npm run
 * drill` run through npm, each with a TMPDIR of its own, are sent SIGINT or SIGTERM (to npm's PID,
 * which npm passes on to the script; or Ctrl-C, SIGINT to the whole process group, as a terminal
 * sends it) at a given moment, and timed until every process they started is gone: npm, node, the
 * function's process, the JVM and its guard, Chromium and its helpers. Then what they left: in
 * their TMPDIR (tsx's compile cache aside, kept by design) and the JVM's counters in /tmp.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { PROJECT_ROOT } from '../../bundling/paths';
import { freePort } from '../../local/ports';
import { processTree } from './process-tree';

/** What the README promises: stopped, every process gone, within this. */
const STOP_GOAL_SECONDS = 3;
/** Process lists are read this often, before and after the signal. */
const POLL_MS = 20;
/** A stop not over by then is reported as such rather than waited for. */
const GIVE_UP_MS = 30_000;
/** How long the moment to signal may take to come. */
const MOMENT_WITHIN_MS = 120_000;

type StopSignal = 'SIGINT' | 'SIGTERM';

interface Scenario {
  /** When the signal is sent, as the report says it. */
  readonly moment: string;
  readonly script: 'start' | 'drill';
  readonly args: readonly string[];
  /** A line of the script's output that marks the moment; or, for `jvm`, DynamoDB Local starting. */
  readonly at: RegExp | 'jvm';
}

const SCENARIOS: readonly Scenario[] = [
  {
    moment: 'at start-up (DynamoDB Local starting)',
    script: 'start',
    args: ['--in-memory'],
    at: 'jvm',
  },
  {
    moment: 'right after ready (the canaries starting)',
    script: 'start',
    args: ['--in-memory'],
    at: /^Press Ctrl-C to stop\./,
  },
  {
    moment: "mid website canary run (prod's, its browser on the page)",
    script: 'start',
    args: ['--in-memory', '--stage', 'prod'],
    at: /\[canary-msgs-prod-website-/,
  },
  {
    moment: 'mid drill (the API broken, DynamoDB Local stopped)',
    script: 'drill',
    args: [],
    at: /^2\. Breaking the API/,
  },
];

export interface StopTime {
  readonly moment: string;
  readonly script: string;
  /** To npm's PID, or to its process group (a terminal's Ctrl-C). */
  readonly sent: `${StopSignal} to npm` | 'Ctrl-C to the group';
  /** From the signal to the last process gone; undefined if some were still there at GIVE_UP_MS. */
  readonly seconds: number | undefined;
  /** Every process seen, by kind. */
  readonly processes: Readonly<Record<string, number>>;
  readonly exitCode: number | null;
  /** What was left: files in TMPDIR, the JVM's /tmp counters, processes still running. */
  readonly left: readonly string[];
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** What a process is, for the report: by its command line. */
function kindOf(command: string): string {
  if (/chrom/.test(command)) return 'Chromium';
  if (/^java /.test(command)) return 'JVM';
  // DynamoDB Local's guard and the function's watchdog, and what they run (their short `sleep`s
  // are not counted).
  if (/^sleep /.test(command)) return 'sleep';
  if (/^sh -c|^cat$/.test(command)) return 'guard';
  if (/esbuild/.test(command)) return 'esbuild';
  if (/^npm|npm-cli/.test(command)) return 'npm';
  if (/lambda-host/.test(command)) return 'function';
  return 'node';
}

async function runOne(scenario: Scenario, sent: StopTime['sent']): Promise<StopTime> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stop-'));
  const outbox = path.join(tmp, 'outbox');
  const env = {
    ...process.env,
    TMPDIR: tmp,
    WEBSITE_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    DYNAMODB_PORT: String(await freePort()),
    MONITOR_PORT: String(await freePort()),
  };
  const extra = scenario.script === 'drill' ? ['--outbox', outbox] : [];
  const npm = spawn('npm', ['run', '--silent', scenario.script, '--', ...scenario.args, ...extra], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A group of its own, as a terminal gives a command: the Ctrl-C case signals all of it.
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => npm.once('exit', resolve));
  const lines: ((line: string) => void)[] = [];
  // Read to the end, whatever is waited for: a full pipe would stall the script.
  for (const stream of [npm.stdout, npm.stderr])
    readline.createInterface({ input: stream }).on('line', (line) => {
      for (const listener of lines) listener(line);
    });
  const seen = new Map<number, string>();
  // A process's latest command line: a fork shows its parent's until it execs, and npm's shell
  // becomes node.
  const look = () => {
    for (const pid of processTree(npm.pid!)) seen.set(pid, commandOf(pid) || (seen.get(pid) ?? ''));
  };
  const watching = setInterval(look, POLL_MS);
  try {
    const moment = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`npm run ${scenario.script}: no ${scenario.at} within 2 minutes`)),
        MOMENT_WITHIN_MS,
      );
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      if (scenario.at === 'jvm') {
        const poll = setInterval(() => {
          look();
          if ([...seen.values()].some((command) => kindOf(command) === 'JVM')) {
            clearInterval(poll);
            done();
          }
        }, POLL_MS);
      } else {
        const pattern = scenario.at;
        lines.push((line) => {
          if (pattern.test(line)) done();
        });
      }
      void exited.then(() => reject(new Error(`npm run ${scenario.script} exited early`)));
    });
    await moment;
    look();
    const signalled = performance.now();
    if (sent === 'Ctrl-C to the group') process.kill(-npm.pid!, 'SIGINT');
    else npm.kill(sent.startsWith('SIGINT') ? 'SIGINT' : 'SIGTERM');
    // Until every process seen, before the signal or since, is gone.
    let seconds: number | undefined;
    while (performance.now() - signalled < GIVE_UP_MS) {
      look();
      if (![...seen.keys()].some(isRunning)) {
        seconds = (performance.now() - signalled) / 1000;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    let wait: NodeJS.Timeout | undefined;
    const exitCode = await Promise.race([
      exited,
      new Promise<null>((resolve) => (wait = setTimeout(() => resolve(null), 2_000))),
    ]);
    clearTimeout(wait);
    const processes: Record<string, number> = {};
    for (const kind of [...seen.values()].map(kindOf).filter((kind) => kind !== 'sleep'))
      processes[kind] = (processes[kind] ?? 0) + 1;
    const perfData = path.join('/tmp', `hsperfdata_${os.userInfo().username}`);
    const left = [
      ...fs
        .readdirSync(tmp)
        .filter((entry) => !/^tsx-/.test(entry) && entry !== 'outbox')
        .map((entry) => `TMPDIR/${entry}`),
      ...[...seen]
        .filter(
          ([pid, command]) => kindOf(command) === 'JVM' && fs.existsSync(`${perfData}/${pid}`),
        )
        .map(([pid]) => `${perfData}/${pid}`),
      ...[...seen]
        .filter(([pid]) => isRunning(pid))
        .map(([pid, command]) => `process ${pid} (${kindOf(command)})`),
    ];
    return { ...scenario, sent, seconds, processes, exitCode, left };
  } finally {
    clearInterval(watching);
    for (const pid of seen.keys()) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Each moment, with SIGINT and with SIGTERM to npm's PID; and the website run once more with a
 * terminal's Ctrl-C. One run each (about 20 s apiece, 3 minutes in all).
 */
export async function benchStopTimes(
  onStep: (what: string) => void = () => undefined,
): Promise<StopTime[]> {
  const results: StopTime[] = [];
  for (const scenario of SCENARIOS) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      onStep(`stop times: ${signal} ${scenario.moment}`);
      results.push(await runOne(scenario, `${signal} to npm`));
    }
  }
  onStep('stop times: Ctrl-C mid website canary run');
  results.push(await runOne(SCENARIOS[2], 'Ctrl-C to the group'));
  return results;
}

/** The benchmark's summary rows: one per moment (SIGINT / SIGTERM), and the Ctrl-C case. */
export function stopTimeRows(times: readonly StopTime[]): {
  readonly measure: string;
  readonly figure: string;
  readonly reference: string;
  readonly target: string;
  readonly met: boolean;
}[] {
  const shown = (time: StopTime) =>
    time.seconds === undefined
      ? `not over in ${GIVE_UP_MS / 1000} s`
      : `${time.seconds.toFixed(2)} s`;
  const clean = (time: StopTime) =>
    time.seconds !== undefined &&
    time.seconds <= STOP_GOAL_SECONDS &&
    time.left.length === 0 &&
    time.exitCode !== null;
  const counted = (time: StopTime) =>
    Object.entries(time.processes)
      .map(([kind, count]) => `${count} ${kind}`)
      .join(', ');
  const leftText = (group: readonly StopTime[]) => {
    const left = group.flatMap((time) => time.left);
    return left.length === 0 ? 'nothing left in TMPDIR or /tmp' : `**left: ${left.join(', ')}**`;
  };
  const rows = [];
  const moments = [...new Set(times.map((time) => time.moment))];
  for (const moment of moments) {
    const group = times.filter(
      (time) => time.moment === moment && time.sent !== 'Ctrl-C to the group',
    );
    if (group.length === 0) continue;
    rows.push({
      measure: `stop of \`npm ${group[0].script === 'start' ? 'start' : 'run drill'}\` ${moment}: ${group.map((time) => time.sent.split(' ')[0]).join(' / ')} to npm's PID, until every process is gone`,
      figure: group.map(shown).join(' / '),
      reference: `${counted(group[0])}; exit ${group.map((time) => time.exitCode).join(' / ')}; ${leftText(group)}`,
      target: `≤ ${STOP_GOAL_SECONDS} s, nothing left`,
      met: group.every(clean),
    });
  }
  for (const time of times.filter((candidate) => candidate.sent === 'Ctrl-C to the group')) {
    rows.push({
      measure: `stop of \`npm start\` ${time.moment}: Ctrl-C (SIGINT to the process group, as a terminal sends it)`,
      figure: shown(time),
      reference: `${counted(time)}; exit ${time.exitCode}; ${leftText([time])}`,
      target: `≤ ${STOP_GOAL_SECONDS} s, nothing left`,
      met: clean(time),
    });
  }
  return rows;
}

if (require.main === module) {
  void benchStopTimes((what) => process.stderr.write(`${what}\n`)).then((times) => {
    for (const row of stopTimeRows(times))
      process.stdout.write(
        `| ${row.measure} | ${row.figure} | ${row.reference} | ${row.target} | ${row.met ? 'yes' : '**no**'} |\n`,
      );
  });
}
