/**
 * The two tiers of tests, timed as a person runs them: `npm test` (the fast tier: no process,
 * browser or JVM) and `npm run test:e2e` (DynamoDB Local, Chromium, `npm start`, the drill...), each
 * from its start to its exit, with the CPU seconds of its whole process tree (the machine is shared:
 * CPU seconds over the cores is what an idle machine would take at best).
 * Run alone: `npx tsx tools/bench/test-tiers.ts`; `npm run bench` runs it among the rest.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../bundling/paths';
import { cpuSecondsOf } from './process-cpu';
import { processTree } from './process-tree';

/** What issue 22 holds the fast tier to, on 2 cores. */
const FAST_TIER_GOAL_SECONDS = 60;
/** The process tree's CPU is read this often: a worker's seconds are kept once it is gone. */
const CPU_POLL_MS = 250;

export type Tier = 'fast' | 'e2e';
const SCRIPTS: Record<Tier, string> = { fast: 'test', e2e: 'test:e2e' };

/** What a tier's run gives: the counts from Jest's --json report, and the times from outside. */
export interface TierRun {
  readonly tier: Tier;
  readonly files: number;
  readonly passed: number;
  readonly failed: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly exitCode: number | null;
}

/** The counts of Jest's --json report that the table shows. */
export interface JestSummary {
  readonly numTotalTestSuites: number;
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numRuntimeErrorTestSuites: number;
}

export interface Row {
  readonly measure: string;
  readonly figure: string;
  readonly reference: string;
  readonly target: string;
  readonly met?: boolean;
}

/**
 * Runs `npm run <tier's script>` with --json, timed; the CPU of its tree sampled as it goes. Jest's
 * report is kept at `keepReportAt` when given, for a look at what failed.
 */
async function runTier(tier: Tier, keepReportAt?: string): Promise<TierRun> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tiers-'));
  const report = keepReportAt ?? path.join(folder, 'jest.json');
  const started = performance.now();
  const child = spawn('npm', ['run', SCRIPTS[tier], '--', '--json', `--outputFile=${report}`], {
    cwd: PROJECT_ROOT,
    stdio: 'ignore',
  });
  // A process's CPU is only readable while it lives: keep each one's last reading.
  const lastCpu = new Map<number, number>();
  const sample = () => {
    if (child.pid === undefined) return;
    for (const pid of processTree(child.pid)) lastCpu.set(pid, cpuSecondsOf(pid));
  };
  const poll = setInterval(sample, CPU_POLL_MS);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  clearInterval(poll);
  const wallSeconds = (performance.now() - started) / 1000;
  const summary = JSON.parse(fs.readFileSync(report, 'utf8')) as JestSummary;
  fs.rmSync(folder, { recursive: true, force: true });
  return {
    tier,
    ...countsOf(summary),
    wallSeconds,
    cpuSeconds: [...lastCpu.values()].reduce((sum, seconds) => sum + seconds, 0),
    exitCode,
  };
}

/** A tier's counts; a file that failed before any test ran counts as one failure. */
export function countsOf(summary: JestSummary): Pick<TierRun, 'files' | 'passed' | 'failed'> {
  return {
    files: summary.numTotalTestSuites,
    passed: summary.numPassedTests,
    failed: summary.numFailedTests + summary.numRuntimeErrorTestSuites,
  };
}

/** The benchmark table's rows for the two tiers' runs. */
export function tierRows(fast: TierRun, e2e: TierRun, cores: number): Row[] {
  const figure = (run: TierRun) =>
    `${run.wallSeconds.toFixed(0)} s wall, ${run.cpuSeconds.toFixed(0)} CPU s ` +
    `(${(run.cpuSeconds / cores).toFixed(0)} s on ${cores} idle cores at best)`;
  const counts = (run: TierRun) => `${run.files} files, ${run.passed} passed, ${run.failed} failed`;
  return [
    {
      measure: '`npm test` (fast tier: no process, browser or JVM)',
      figure: figure(fast),
      reference: counts(fast),
      target: `≤ ${FAST_TIER_GOAL_SECONDS} s on 2 cores, all passing`,
      met: fast.failed === 0 && fast.wallSeconds <= FAST_TIER_GOAL_SECONDS,
    },
    {
      measure: '`npm run test:e2e` (DynamoDB Local, Chromium, `npm start`, the drill)',
      figure: figure(e2e),
      reference: counts(e2e),
      target: 'all passing',
      met: e2e.failed === 0,
    },
  ];
}

/** Times both tiers, one after the other, and returns the benchmark table's rows. */
export async function benchTestTiers(): Promise<Row[]> {
  const cores = os.cpus().length;
  const fast = await runTier('fast');
  const e2e = await runTier('e2e');
  return tierRows(fast, e2e, cores);
}

if (require.main === module) {
  void benchTestTiers().then((rows) => {
    for (const row of rows)
      process.stdout.write(
        `| ${row.measure} | ${row.figure} | ${row.reference} | ${row.target} |\n`,
      );
  });
}
