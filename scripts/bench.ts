/**
 * `npm run bench`: measures what the README promises, on this machine, each figure beside what it
 * is compared with, measured in the same run (the machines are shared and noisy: ratios hold,
 * absolute times drift). Prints a Markdown report and writes it to bench-results/latest.md: first
 * one table of every target beside its figure, then the details. Not part of `npm test`: timings
 * are reported here, never asserted.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { gzipSync } from 'node:zlib';
import { bundleCanaries } from '../bundling/canaries';
import { monitorPage as buildMonitorPage } from '@monitored/cloudwatch-local';
import { PROJECT_ROOT } from '../bundling/paths';
import { buildWebsite } from '../bundling/website';
import { MESSAGES_PATH, messagePath, ROUTES } from '../contract/api';
import { MESSAGES_FUNCTION } from '../contract/function';
import { launchChromium } from '../local/chromium';
import { freePort } from '../local/ports';
import { startLocalSystem, type LocalSystem } from '../local/system';
import { stageConfigs } from '../stacks/config';
import { benchCanaries, type CanaryBench } from '../tools/bench/canaries';
import { benchCountGrowth, type CountGrowthBench } from '../tools/bench/count-growth';
import { benchLambdaBundle, type LambdaBench } from '../tools/bench/lambda-load';
import { benchLoad, LogTap, type LoadBench } from '../tools/bench/load';
import { benchLogsQuery } from '../tools/bench/logs-query';
import { treeCpuSeconds } from '../tools/bench/process-cpu';
import { summarize } from '../tools/bench/samples';
import { benchStopTimes, stopTimeRows } from '../tools/bench/stop-times';
import { benchSynth, medianOf, type SynthBench } from '../tools/bench/synth';
import { benchTestTiers } from '../tools/bench/test-tiers';
import { DEFAULT_TRAFFIC } from './cost';
import { ASSUMPTIONS } from '../tools/cost/assumptions';
import { estimate, formatEstimate, type Estimate } from '../tools/cost/estimate';
import { MONITORING_BUDGET_USD, PROD_DETECTION_TARGET_MINUTES } from '../tools/cost/targets';
import { ensureDynamoDbLocal } from './ensure-dynamodb-local';
import { parseCommandLine, refuse, UsageError } from './usage';

const USAGE =
  'Usage: npm run bench (no options: it runs every measure, both tiers of tests among them, about 15 minutes, and writes bench-results/latest.md)';

/** What the benchmark holds each figure to (issue 14; the README's "Benchmark" table). */
const TARGETS = {
  synthSeconds: 3,
  synthPeakMb: 250,
  synthSpeedupOverPackageRoot: 4,
  lambdaGzipKb: 120,
  lambdaLoadMs: 100,
  countGrowth: 1.5,
  startSeconds: 15,
} as const;

interface Row {
  readonly measure: string;
  readonly figure: string;
  readonly reference: string;
  readonly target: string;
  /** Undefined where there is no target, only a figure to read. */
  readonly met?: boolean;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const mark = (met: boolean | undefined) => (met === undefined ? '' : met ? 'yes' : '**no**');

const details: string[] = [];
const say = (line = '') => {
  details.push(line);
  process.stdout.write(`${line}\n`);
};

function synthRows(synth: SynthBench): Row[] {
  const deep = synth.warm.deep;
  const root = synth.warm['package root'];
  const speedup = medianOf(root, 'seconds') / medianOf(deep, 'seconds');
  const row = (label: string, runs: SynthBench['cold'], reference: string, faster?: boolean) => {
    const seconds = medianOf(runs, 'seconds');
    const peak = Math.max(...runs.map((run) => run.peakRssMb));
    return {
      measure: label,
      figure: `${seconds.toFixed(2)} s, ${peak.toFixed(0)} MB peak RSS (max of ${runs.length})`,
      reference,
      target: `≤ ${TARGETS.synthSeconds} s, ≤ ${TARGETS.synthPeakMb} MB${faster === undefined ? '' : `, ≥ ${TARGETS.synthSpeedupOverPackageRoot}× faster`}`,
      met:
        seconds <= TARGETS.synthSeconds &&
        peak <= TARGETS.synthPeakMb &&
        (faster === undefined || faster),
    };
  };
  return [
    row(
      `synth of both stacks, warm (unchanged bundles reused; median of ${deep.length})`,
      deep,
      `the same app importing the provider from its package root: ${medianOf(root, 'seconds').toFixed(2)} s, ${Math.max(...root.map((run) => run.peakRssMb)).toFixed(0)} MB peak; ${medianOf(root, 'providerModules').toLocaleString('en-US')} provider modules loaded against ${medianOf(deep, 'providerModules')}: deep imports **${speedup.toFixed(1)}× faster**`,
      speedup >= TARGETS.synthSpeedupOverPackageRoot,
    ),
    row(
      `synth of both stacks, cold (bundles built; median of ${synth.cold.length})`,
      synth.cold,
      '',
    ),
  ];
}

function lambdaRows(lambda: LambdaBench): Row[] {
  return [
    {
      measure: 'Lambda bundle `index.js` (AWS SDK v3 and Powertools included)',
      figure: `${kb(lambda.bytes)}, ${kb(lambda.gzipBytes)} gzip`,
      reference: `the deployed zip with its source map: ${kb(lambda.zipBytes)}`,
      target: `≤ ${TARGETS.lambdaGzipKb} KB gzip`,
      met: lambda.gzipBytes / 1024 <= TARGETS.lambdaGzipKb,
    },
    {
      measure: `Lambda bundle's cold module load (median of ${lambda.runs}, NODE_OPTIONS as deployed)`,
      figure: `+${ms(lambda.loadMs)} over bare node`,
      reference: `bare \`node -e 0\`: ${ms(lambda.bareNodeMs)}; without source maps: +${ms(lambda.loadWithoutSourceMapsMs)}`,
      target: `≤ ${TARGETS.lambdaLoadMs} ms above bare node`,
      met: lambda.loadMs <= TARGETS.lambdaLoadMs,
    },
  ];
}

function countRows(count: CountGrowthBench): Row[] {
  const { small, large } = count;
  const apiGrowth = large.api.p50 / small.api.p50;
  const scanGrowth = large.scan.p50 / small.scan.p50;
  return [
    {
      measure: `\`${ROUTES.countMessages}\` at ${large.messages.toLocaleString('en-US')} messages (p50 of ${large.api.n})`,
      figure: `${ms(large.api.p50)}, ${large.apiItemsRead} item read`,
      reference: `at ${small.messages}, interleaved with it: ${ms(small.api.p50)}, ${small.apiItemsRead} item read: **${apiGrowth.toFixed(2)}×** (the ${large.messages.toLocaleString('en-US')} loaded by BatchWriteItem in ${count.loadSeconds.toFixed(0)} s)`,
      target: `≤ ${TARGETS.countGrowth}× its latency at ${small.messages}, reading one item`,
      met: apiGrowth <= TARGETS.countGrowth && large.apiItemsRead === 1,
    },
    {
      measure: `a Scan count (Select=COUNT) of the same table at ${large.messages.toLocaleString('en-US')} (p50 of ${large.scan.n})`,
      figure: `${ms(large.scan.p50)}, ${large.scanItemsRead.toLocaleString('en-US')} items read in ${large.scanPages} pages`,
      reference: `at ${small.messages}: ${ms(small.scan.p50)}, ${small.scanItemsRead} items: **${scanGrowth.toFixed(0)}×**`,
      target: 'the reference the counter is built against',
    },
  ];
}

function loadRows(load: LoadBench): Row[] {
  const phase = (p: LoadBench['post']): Row => ({
    measure: `local API under load: \`${p.route}\` (${p.connections} connections, loopback)`,
    figure: `${p.perSecond.toFixed(0)} requests/s, p50 ${p.p50Ms} ms, p99 ${p.p99Ms} ms, **${p.errors} errors**`,
    reference: `${p.requests.toLocaleString('en-US')} requests in ${p.seconds.toFixed(1)} s`,
    target: '0 errors',
    met: p.errors === 0,
  });
  return [
    phase(load.post),
    phase(load.getById),
    {
      measure: 'count after the load',
      figure: `+${load.countAfter.toLocaleString('en-US')}`,
      reference: `${load.created.toLocaleString('en-US')} answers 201`,
      target: 'equal: an exact count',
      met: load.countAfter === load.created,
    },
  ];
}

function canaryRows(canaries: readonly CanaryBench[]): Row[] {
  return canaries.map((canary) => ({
    measure: `canary \`${canary.journey}\`: one local run (median of ${canary.seconds.n})`,
    figure: `${canary.seconds.p50.toFixed(2)} s (${canary.passed} of ${canary.seconds.n} passed)`,
    reference: `the cost model bills ${ASSUMPTIONS.canaryRunSeconds[canary.journey]} s a run on AWS (runtime start, artifacts)`,
    target: '',
  }));
}

function costRows(result: Estimate): Row[] {
  const { dev, prod } = result.stages;
  return [
    ...[prod, dev].map((stage) => ({
      measure: `monitoring, ${stage.stage} (\`npm run cost\`)`,
      figure: `$${stage.monitoringUsd.toFixed(2)} a month`,
      reference: `full outage paged within ${stage.detection.minutes.toFixed(1)} min, worst case`,
      target: `≤ $${MONITORING_BUDGET_USD[stage.stage]}`,
      met: stage.monitoringUsd <= MONITORING_BUDGET_USD[stage.stage],
    })),
    {
      measure: 'full prod outage detected, worst case (`npm run cost`)',
      figure: `${prod.detection.minutes.toFixed(1)} min`,
      reference:
        "schedule, retries, run timeouts, alarm period and evaluation, the composite's wait",
      target: `≤ ${PROD_DETECTION_TARGET_MINUTES} min`,
      met: prod.detection.minutes <= PROD_DETECTION_TARGET_MINUTES,
    },
  ];
}

function sizeRows(): Row[] {
  const website = buildWebsite();
  const gz = (file: string) => gzipSync(fs.readFileSync(file), { level: 9 }).length;
  const loaded = website.files.filter((file) => !file.key.endsWith('.map'));
  const scripts = loaded.filter((file) => file.key.endsWith('.js'));
  const pageBytes = loaded.reduce((sum, file) => sum + file.bytes, 0);
  const pageGzip = loaded.reduce(
    (sum, file) => sum + gz(path.join(website.directory, file.key)),
    0,
  );
  const monitor = buildMonitorPage();
  const monitorLoaded = monitor.files.filter((file) => !file.key.endsWith('.map'));
  const monitorScripts = monitorLoaded.filter((file) => file.key.endsWith('.js'));
  const monitorGzip = (files: typeof monitorLoaded) =>
    files.reduce((sum, file) => sum + gz(path.join(monitor.directory, file.key)), 0);
  const canaries = Object.entries(bundleCanaries())
    .map(([kind, canary]) => `${kind} ${kb(fs.statSync(canary.zipFile).size)}`)
    .join(', ');
  const scriptGzip = scripts.reduce(
    (sum, file) => sum + gz(path.join(website.directory, file.key)),
    0,
  );
  return [
    {
      measure: 'website script',
      figure: `${kb(scripts.reduce((sum, file) => sum + file.bytes, 0))}, ${kb(scriptGzip)} gzip`,
      reference: '',
      target: '≤ 10 KB gzip',
      met: scriptGzip <= 10 * 1024,
    },
    {
      measure: 'whole page (HTML, CSS, JS, favicon, config.json)',
      figure: `${kb(pageBytes)}, ${kb(pageGzip)} gzip`,
      reference: '',
      target: '≤ 30 KB',
      met: pageGzip <= 30 * 1024,
    },
    {
      measure: 'dashboard preview script (uPlot, marked, DOMPurify)',
      figure: `${kb(monitorScripts.reduce((sum, file) => sum + file.bytes, 0))}, ${kb(monitorGzip(monitorScripts))} gzip`,
      reference: `the whole preview page: ${kb(monitorGzip(monitorLoaded))} gzip`,
      target: '≤ 72 KB gzip, page ≤ 80 KB',
      met: monitorGzip(monitorScripts) <= 72 * 1024 && monitorGzip(monitorLoaded) <= 80 * 1024,
    },
    { measure: 'canary zips', figure: canaries, reference: '', target: '' },
  ];
}

async function benchStart(): Promise<Row> {
  const samples: number[] = [];
  for (let run = 0; run < 3; run++) {
    const env = {
      ...process.env,
      WEBSITE_PORT: String(await freePort()),
      API_PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
    };
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/start.ts', '--in-memory', '--log-file', '/dev/null'],
      { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const urls = await readyUrls(child.stdout, exited);
    const [page, count] = await Promise.all([
      fetch(urls.site),
      fetch(`${urls.api}${MESSAGES_PATH}`),
    ]);
    if (!page.ok || !count.ok) throw new Error('site or API not answering');
    samples.push((performance.now() - started) / 1000);
    child.kill('SIGTERM');
    await exited;
  }
  const seconds = summarize(samples);
  return {
    measure: `\`npm start\` until site and API answer (in memory, JVM start included; median of ${seconds.n})`,
    figure: `${seconds.p50.toFixed(1)} s`,
    reference: `slowest ${seconds.max.toFixed(1)} s`,
    target: `< ${TARGETS.startSeconds} s`,
    met: seconds.p50 < TARGETS.startSeconds,
  };
}

/** The website and API addresses `npm start` prints once it is ready. */
function readyUrls(
  stdout: NodeJS.ReadableStream | null,
  exited: Promise<unknown>,
): Promise<{ site: string; api: string }> {
  return new Promise((resolve, reject) => {
    if (stdout === null) return reject(new Error('npm start has no stdout'));
    let site = '';
    readline.createInterface({ input: stdout }).on('line', (line) => {
      site = /Website:\s+(\S+)/.exec(line)?.[1] ?? site;
      const api = /API:\s+(\S+)/.exec(line)?.[1];
      if (api !== undefined) resolve({ site, api });
    });
    void exited.then(() => reject(new Error('npm start exited before it was ready')));
  });
}

async function benchSequentialLatency(system: LocalSystem): Promise<void> {
  const timed = async (request: () => Promise<Response>) => {
    const started = performance.now();
    const response = await request();
    await response.arrayBuffer();
    if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
    return performance.now() - started;
  };
  const create = () =>
    fetch(`${system.apiUrl}${MESSAGES_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'bench' }),
    });
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push(((await (await create()).json()) as { id: string }).id);
  const rows: [string, number[]][] = [
    [ROUTES.createMessage, []],
    [ROUTES.getMessage, []],
    [ROUTES.countMessages, []],
  ];
  for (let i = 0; i < 300; i++) {
    rows[0][1].push(await timed(create));
    rows[1][1].push(
      await timed(() => fetch(`${system.apiUrl}${messagePath(ids[i % ids.length])}`)),
    );
    rows[2][1].push(await timed(() => fetch(`${system.apiUrl}${MESSAGES_PATH}`)));
  }
  say('## Latency through the local API front (sequential, DynamoDB Local)');
  say();
  say('| route | requests | p50 ms | p95 ms | p99 ms |');
  say('| --- | ---: | ---: | ---: | ---: |');
  for (const [route, samples] of rows) {
    const s = summarize(samples);
    say(`| ${route} | ${s.n} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} |`);
  }
  say();
}

async function benchLighthouse(system: LocalSystem): Promise<void> {
  const port = await freePort();
  const chromium = await launchChromium([`--remote-debugging-port=${port}`]);
  try {
    const { default: lighthouse } = await import('lighthouse');
    const result = await lighthouse(system.websiteUrl, {
      port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
    });
    if (result === undefined) throw new Error('Lighthouse returned no result');
    const { categories, audits } = result.lhr;
    const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
    say(
      `## Lighthouse ${result.lhr.lighthouseVersion} (mobile emulation, simulated throttling, local site)`,
    );
    say();
    say(
      '| performance | accessibility | best practices | bytes transferred | LCP ms | TBT ms | CLS |',
    );
    say('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    say(
      `| ${score('performance')} | ${score('accessibility')} | ${score('best-practices')} | ${Number(audits['total-byte-weight']?.numericValue ?? NaN)} | ${Math.round(Number(audits['largest-contentful-paint']?.numericValue))} | ${Math.round(Number(audits['total-blocking-time']?.numericValue))} | ${Number(audits['cumulative-layout-shift']?.numericValue).toFixed(3)} |`,
    );
    say();
    say('Targets: performance ≥ 95, accessibility 100, best practices ≥ 95.');
    say();
  } finally {
    await chromium.close();
  }
}

function sayLoadDetails(load: LoadBench, canaries: readonly CanaryBench[]): void {
  say('## Under load: what the function logged and was billed, beside the cost model');
  say();
  say(
    '| per request | measured (local, dev log level DEBUG) | without DEBUG lines (prod logs at INFO) | cost model assumes |',
  );
  say('| --- | ---: | ---: | ---: |');
  say(
    `| function log bytes | ${load.functionLogBytesPerRequest.toFixed(0)} | ${load.functionLogBytesPerRequestAtInfo.toFixed(0)} | ${ASSUMPTIONS.functionLogBytesPerRequest} |`,
  );
  say(
    `| access log bytes | ${load.accessLogBytesPerRequest.toFixed(0)} | | ${ASSUMPTIONS.accessLogBytesPerRequest} |`,
  );
  say(
    `| billed duration (p50 / p99 of ${load.billedMs.n}) | ${load.billedMs.p50} / ${load.billedMs.p99} ms | | ${ASSUMPTIONS.handlerMs} ms (Lambda at ${MESSAGES_FUNCTION.memoryMb} MB gets a fraction of a core) |`,
  );
  say();
  say('## Canary runs: requests of one local run by kind, beside the cost model');
  say();
  say('| journey | posts answered 201 | reads by id | counts | refused | CORS preflights |');
  say('| --- | --- | --- | --- | --- | --- |');
  for (const canary of canaries) {
    const cell = (key: keyof CanaryBench['measured']) =>
      `${canary.measured[key]} (model ${canary.modelled[key]})${canary.measured[key] === canary.modelled[key] ? '' : ' **differs**'}`;
    say(
      `| ${canary.journey} | ${cell('creates')} | ${cell('reads')} | ${cell('counts')} | ${cell('refused')} | ${cell('gatewayOnly')} |`,
    );
  }
  say();
}

// ---------------------------------------------------------------------------------------------
// The monitoring loop's CPU (npm start with its loop against without it) and the drill's times.
// ---------------------------------------------------------------------------------------------

export interface MonitoringLoopCpu {
  readonly windowSeconds: number;
  /** CPU seconds per wall second of `npm start` and everything it started (1 = one core). */
  readonly withLoop: number;
  readonly withoutLoop: number;
  /** The loop's own share: the difference, in cores and as a share of this machine. */
  readonly loopCores: number;
  readonly loopShareOfMachine: number;
}

/**
 * The monitoring loop's CPU share at its default time scale: `npm start` idle with the loop and
 * with `--no-monitor`, each sampled over the same window after it is ready, process tree included
 * (the JVM, the function's process). The flags are issue 12's; pass others if they differ.
 */
async function benchMonitoringLoopCpu({
  withLoop = [] as readonly string[],
  withoutLoop = ['--no-monitor'] as readonly string[],
  windowSeconds = 60,
} = {}): Promise<MonitoringLoopCpu> {
  const sample = async (extra: readonly string[]): Promise<number> => {
    const env = {
      ...process.env,
      WEBSITE_PORT: String(await freePort()),
      API_PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
    };
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/start.ts', '--in-memory', '--log-file', '/dev/null', ...extra],
      { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await readyUrls(child.stdout, exited);
      const pid = child.pid ?? 0;
      const cpuBefore = treeCpuSeconds(pid);
      const wallBefore = performance.now();
      await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000));
      return (treeCpuSeconds(pid) - cpuBefore) / ((performance.now() - wallBefore) / 1000);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  };
  const withLoopCores = await sample(withLoop);
  const withoutLoopCores = await sample(withoutLoop);
  const loopCores = withLoopCores - withoutLoopCores;
  return {
    windowSeconds,
    withLoop: withLoopCores,
    withoutLoop: withoutLoopCores,
    loopCores,
    loopShareOfMachine: loopCores / os.cpus().length,
  };
}

/** What `npm run drill` reports (issue 12): times to detect and to recover. */
export interface DrillFigures {
  readonly detectSimulatedMinutes: number;
  readonly recoverSimulatedMinutes: number;
  readonly detectRealSeconds: number;
  readonly recoverRealSeconds: number;
}

/**
 * Runs `npm run drill` (prod's definitions, its default time scale, emails into a temporary
 * outbox) and reads its report: the times to detect and to recover.
 */
async function benchDrill(): Promise<DrillFigures> {
  const outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-drill-'));
  try {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/drill.ts', '--outbox', outbox],
      {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`npm run drill failed (exit ${code}):\n${output}`);
    const figures = (what: string) => {
      const match = new RegExp(
        `time to ${what}:\\s+([\\d.]+) simulated minutes[^,]*, ([\\d.]+) s real`,
      ).exec(output);
      if (match === null) throw new Error(`npm run drill printed no time to ${what}:\n${output}`);
      return { simulatedMinutes: Number(match[1]), realSeconds: Number(match[2]) };
    };
    const detect = figures('detect');
    const recover = figures('recover');
    return {
      detectSimulatedMinutes: detect.simulatedMinutes,
      recoverSimulatedMinutes: recover.simulatedMinutes,
      detectRealSeconds: detect.realSeconds,
      recoverRealSeconds: recover.realSeconds,
    };
  } finally {
    fs.rmSync(outbox, { recursive: true, force: true });
  }
}

/** The summary rows of the loop's CPU share and of a drill the caller ran. */
function monitoringLoopRows(cpu: MonitoringLoopCpu, drill: DrillFigures): Row[] {
  return [
    {
      measure: `monitoring loop at its default time scale, CPU (${cpu.windowSeconds} s idle)`,
      figure: `${(cpu.loopCores * 100).toFixed(1)}% of a core (${(cpu.loopShareOfMachine * 100).toFixed(1)}% of the machine)`,
      reference: `\`npm start\` with the loop ${(cpu.withLoop * 100).toFixed(1)}%, without ${(cpu.withoutLoop * 100).toFixed(1)}% of a core`,
      target: '',
    },
    {
      measure: '`npm run drill`: full outage detected, recovered',
      figure: `${drill.detectSimulatedMinutes.toFixed(1)} / ${drill.recoverSimulatedMinutes.toFixed(1)} simulated min`,
      reference: `${drill.detectRealSeconds.toFixed(0)} / ${drill.recoverRealSeconds.toFixed(0)} s real`,
      target: `detected ≤ ${PROD_DETECTION_TARGET_MINUTES} min`,
      met: drill.detectSimulatedMinutes <= PROD_DETECTION_TARGET_MINUTES,
    },
  ];
}

// ---------------------------------------------------------------------------------------------

function summaryTable(rows: readonly Row[]): string[] {
  return [
    '| measure | figure | beside it, in the same run | target | met |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.measure} | ${row.figure} | ${row.reference} | ${row.target} | ${mark(row.met)} |`,
    ),
  ];
}

async function main(): Promise<void> {
  const started = performance.now();
  await ensureDynamoDbLocal();
  const rows: Row[] = [];
  const step = (what: string) =>
    process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${what}\n`);

  step('synth: deep imports and package-root imports, interleaved');
  rows.push(...synthRows(benchSynth()));
  step('the Lambda bundle: size and cold module load');
  rows.push(...lambdaRows(benchLambdaBundle()));
  step('sizes');
  rows.push(...sizeRows());
  step('npm start');
  rows.push(await benchStart());
  step(`${ROUTES.countMessages} at 100 and 50,000 messages, beside a Scan count`);
  const count = await benchCountGrowth();
  rows.push(...countRows(count));

  step('the local API under load, then each canary');
  const tap = new LogTap();
  const system = await startLocalSystem({
    ports: { website: 0, api: 0, dynamodb: 0 },
    // The load, and back-to-back sequential requests, arrive faster than dev's 10 a second: lift
    // the throttle, or this would time API Gateway's 429s instead of the function.
    apiThrottling: { burstLimit: 10_000, rateLimit: 10_000 },
    onLogLine: tap.onLogLine,
    onAccessLog: tap.onAccessLog,
  });
  let load: LoadBench;
  let canaries: CanaryBench[];
  try {
    load = await benchLoad(system.apiUrl, tap);
    rows.push(...loadRows(load));
    canaries = await benchCanaries(system, tap);
    rows.push(...canaryRows(canaries));
    step('Logs Insights: the worst queries over 100,000 lines, and the API meanwhile');
    rows.push(...(await benchLogsQuery(system.apiUrl)));
    step('sequential latency and Lighthouse');
    await benchSequentialLatency(system);
    await benchLighthouse(system);
  } finally {
    await system.stop();
  }
  sayLoadDetails(load, canaries);

  step('cost');
  const result = estimate(
    stageConfigs({ alertEmails: { dev: ['oncall@example.com'], prod: ['oncall@example.com'] } }),
    {
      traffic: DEFAULT_TRAFFIC,
      dashboardViewsPerMonth: ASSUMPTIONS.dashboardViewsPerMonth,
      today: new Date(),
    },
  );
  rows.push(...costRows(result));
  step('the monitoring loop: CPU at its default time scale (dev), and the drill (prod)');
  rows.push(...monitoringLoopRows(await benchMonitoringLoopCpu(), await benchDrill()));
  rows.push(...stopTimeRows(await benchStopTimes(step)));
  rows.push(...(await benchTestTiers()));
  // One heading level down: the estimate is a section of this report.
  say(formatEstimate(result, MONITORING_BUDGET_USD).replace(/^#/gm, '##'));

  const wallSeconds = (performance.now() - started) / 1000;
  const report = [
    `# Benchmark, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}`,
    '',
    `Wall time of the whole run: ${wallSeconds.toFixed(0)} s.`,
    '',
    ...summaryTable(rows),
    '',
    ...details,
  ];
  fs.mkdirSync(path.join(PROJECT_ROOT, 'bench-results'), { recursive: true });
  fs.writeFileSync(path.join(PROJECT_ROOT, 'bench-results', 'latest.md'), `${report.join('\n')}\n`);
  process.stdout.write(
    `\n${summaryTable(rows).join('\n')}\n\nWall time: ${wallSeconds.toFixed(0)} s\n`,
  );
}

/**
 * The bench takes no arguments; a flag it does not know is refused, not ignored, before the
 * minutes of measuring start.
 */
function readArguments(args: string[]): 'run' | 'help' {
  const { values } = parseCommandLine({ args, options: { help: { type: 'boolean', short: 'h' } } });
  return values.help === true ? 'help' : 'run';
}

if (require.main === module) {
  let wanted: 'run' | 'help';
  try {
    wanted = readArguments(process.argv.slice(2));
  } catch (error: unknown) {
    if (!(error instanceof UsageError)) throw error;
    process.exit(refuse(error, USAGE));
  }
  if (wanted === 'help') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  main().catch((error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
