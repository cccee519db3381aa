/**
 * `npm run bench`: measures what the README promises, on this machine, and prints a Markdown
 * report (also written to bench-results/latest.md). Not part of `npm test`: timings on a shared
 * 2-core machine are noisy, so they are reported here, not asserted.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { gzipSync } from 'node:zlib';
import { bundleCanaries } from '../bundling/canaries';
import { bundleLambda } from '../bundling/lambda';
import { buildMonitorPage } from '../bundling/monitor-page';
import { BUILD_DIR, PROJECT_ROOT } from '../bundling/paths';
import { buildWebsite } from '../bundling/website';
import { launchChromium } from '../local/chromium';
import { freePort } from '../local/ports';
import { startLocalSystem } from '../local/system';
import { formatCostTable, monthlyCost } from './cost/traffic';
import { DEFAULT_TRAFFIC } from './cost';
import { ensureDynamoDbLocal } from './ensure-dynamodb-local';

const report: string[] = [];
const say = (line = '') => {
  report.push(line);
  process.stdout.write(`${line}\n`);
};

function stats(samples: number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] };
}

function synthOnce(): { seconds: number; maxRssMb: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    ['--require', path.join(__dirname, 'bench-probe.cjs'), '--import', 'tsx', 'main.ts'],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir },
      encoding: 'utf8',
    },
  );
  const seconds = (performance.now() - started) / 1000;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`synth failed: ${result.stderr}`);
  const maxRss = Number(/bench-probe maxRSS=(\d+)/.exec(result.stderr)?.[1] ?? NaN);
  return { seconds, maxRssMb: maxRss / 1024 };
}

function benchSynth(): void {
  // Cold: no earlier build, so esbuild bundles the function and the website. Warm: the builds of
  // unchanged inputs are reused, as on every synth after the first.
  const cold = Array.from({ length: 3 }, () => {
    fs.rmSync(BUILD_DIR, { recursive: true, force: true });
    return synthOnce();
  });
  const warm = Array.from({ length: 5 }, synthOnce);
  say('## Synth (both stacks, one process: `node --import tsx main.ts`)');
  say();
  say('| build cache | runs | median s | max s | median peak RSS MB | max peak RSS MB | target |');
  say('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const [label, runs] of [
    ['cold (bundles built)', cold],
    ['warm (bundles reused)', warm],
  ] as const) {
    const seconds = stats(runs.map((run) => run.seconds));
    const memory = stats(runs.map((run) => run.maxRssMb));
    say(
      `| ${label} | ${runs.length} | ${seconds.p50.toFixed(2)} | ${seconds.max.toFixed(2)} | ${memory.p50.toFixed(0)} | ${memory.max.toFixed(0)} | ≤ 3 s, ≤ 250 MB |`,
    );
  }
  say();
}

function benchSizes(): void {
  const lambda = bundleLambda();
  const website = buildWebsite();
  const size = (file: string) => fs.statSync(file).size;
  const gz = (file: string) => gzipSync(fs.readFileSync(file), { level: 9 }).length;
  const loaded = website.files.filter((file) => !file.key.endsWith('.map'));
  const js = loaded.filter((file) => file.key.endsWith('.js'));
  const page =
    loaded.reduce((sum, file) => sum + gz(path.join(website.directory, file.key)), 0) + 40;
  say('## Bundle sizes');
  say();
  say('| artifact | bytes | gzip bytes | budget |');
  say('| --- | ---: | ---: | --- |');
  say(
    `| Lambda bundle \`index.js\` (AWS SDK included) | ${lambda.bytes} | ${gz(path.join(lambda.directory, 'index.js'))} | |`,
  );
  for (const file of js)
    say(
      `| website script \`${file.key}\` | ${file.bytes} | ${gz(path.join(website.directory, file.key))} | ≤ 10 KB gzip |`,
    );
  for (const [kind, canary] of Object.entries(bundleCanaries()))
    say(`| canary zip \`${kind}\` | ${size(canary.zipFile)} | | |`);
  say(
    `| whole page (HTML, CSS, JS, favicon, config.json) | ${loaded.reduce((s, f) => s + size(path.join(website.directory, f.key)), 0)} | ${page} | ≤ 30 KB |`,
  );
  const monitor = buildMonitorPage();
  const monitorLoaded = monitor.files.filter((file) => !file.key.endsWith('.map'));
  for (const file of monitorLoaded.filter((loadedFile) => loadedFile.key.endsWith('.js')))
    say(
      `| dashboard preview script \`${file.key}\` (uPlot, marked, DOMPurify) | ${file.bytes} | ${gz(path.join(monitor.directory, file.key))} | ≤ 72 KB gzip |`,
    );
  say(
    `| dashboard preview page (HTML, CSS, JS, favicon) | ${monitorLoaded.reduce((s, f) => s + f.bytes, 0)} | ${monitorLoaded.reduce((s, f) => s + gz(path.join(monitor.directory, f.key)), 0)} | ≤ 80 KB |`,
  );
  say();
}

async function benchStart(): Promise<void> {
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
    const urls = await new Promise<{ site: string; api: string }>((resolve, reject) => {
      let site = '';
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        site = /Website:\s+(\S+)/.exec(line)?.[1] ?? site;
        const api = /API:\s+(\S+)/.exec(line)?.[1];
        if (api !== undefined) resolve({ site, api });
      });
      void exited.then(() => reject(new Error('npm start exited early')));
    });
    const [page, count] = await Promise.all([fetch(urls.site), fetch(`${urls.api}/messages`)]);
    if (!page.ok || !count.ok) throw new Error('site or API not answering');
    samples.push((performance.now() - started) / 1000);
    child.kill('SIGTERM');
    await exited;
  }
  say('## `npm start` until site and API answer (in-memory, JVM start included)');
  say();
  say('| runs | median s | max s | target |');
  say('| ---: | ---: | ---: | --- |');
  say(
    `| ${samples.length} | ${stats(samples).p50.toFixed(1)} | ${stats(samples).max.toFixed(1)} | < 15 s |`,
  );
  say();
}

async function benchLatencyAndLighthouse(): Promise<void> {
  // Sequential requests arrive faster than dev's 10 per second: lift the throttle, or this would
  // time API Gateway's 429s instead of the function.
  const system = await startLocalSystem({
    ports: { website: 0, api: 0, dynamodb: 0 },
    apiThrottling: { burstLimit: 10_000, rateLimit: 10_000 },
  });
  try {
    const timed = async (request: () => Promise<Response>) => {
      const started = performance.now();
      const response = await request();
      await response.arrayBuffer();
      if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
      return performance.now() - started;
    };
    const create = () =>
      fetch(`${system.apiUrl}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'bench' }),
      });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(((await (await create()).json()) as { id: string }).id);
    const rows: [string, number[]][] = [
      ['POST /messages', []],
      ['GET /messages/{id}', []],
      ['GET /messages', []],
    ];
    for (let i = 0; i < 300; i++) {
      rows[0][1].push(await timed(create));
      rows[1][1].push(await timed(() => fetch(`${system.apiUrl}/messages/${ids[i % ids.length]}`)));
      rows[2][1].push(await timed(() => fetch(`${system.apiUrl}/messages`)));
    }
    say('## Latency through the local API front (sequential, DynamoDB Local)');
    say();
    say('| route | requests | p50 ms | p95 ms | p99 ms |');
    say('| --- | ---: | ---: | ---: | ---: |');
    for (const [route, samples] of rows) {
      const s = stats(samples);
      say(
        `| ${route} | ${samples.length} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} |`,
      );
    }
    say();

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
      const transferred = Number(audits['total-byte-weight']?.numericValue ?? NaN);
      say(
        `## Lighthouse ${result.lhr.lighthouseVersion} (mobile emulation, simulated throttling, local site)`,
      );
      say();
      say(
        '| performance | accessibility | best practices | bytes transferred | LCP ms | TBT ms | CLS |',
      );
      say('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      say(
        `| ${score('performance')} | ${score('accessibility')} | ${score('best-practices')} | ${transferred} | ${Math.round(Number(audits['largest-contentful-paint']?.numericValue))} | ${Math.round(Number(audits['total-blocking-time']?.numericValue))} | ${Number(audits['cumulative-layout-shift']?.numericValue).toFixed(3)} |`,
      );
      say();
      say('Targets: performance ≥ 95, accessibility 100, best practices ≥ 95.');
      say();
    } finally {
      await chromium.close();
    }
  } finally {
    await system.stop();
  }
}

function benchCost(): void {
  say('## Cost per month of one stage (no free tier; `npm run cost -- --help` for other traffic)');
  say();
  say('Traffic: 100,000 messages posted, 300,000 read, 500,000 page views (each reads the count).');
  say();
  say(formatCostTable(monthlyCost(DEFAULT_TRAFFIC, 1)));
  say();
}

async function main(): Promise<void> {
  ensureDynamoDbLocal();
  say(
    `# Benchmark, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}`,
  );
  say();
  benchSynth();
  benchSizes();
  await benchStart();
  await benchLatencyAndLighthouse();
  benchCost();
  fs.mkdirSync(path.join(PROJECT_ROOT, 'bench-results'), { recursive: true });
  fs.writeFileSync(path.join(PROJECT_ROOT, 'bench-results', 'latest.md'), `${report.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
