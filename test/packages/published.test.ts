// @tier e2e
/**
 * A test of the e2e tier: it runs npm, tsc and esbuild as subprocesses.
 *
 * The packages as published: each built (`npm run build`), packed (`npm pack`) and unpacked into
 * a folder outside this repository beside its dependencies (the peer dependencies as a project
 * would install them), then used by plain Node.js. Each offers exactly the API its source index
 * declares; cloudwatch-local's monitor serves the prebuilt page and a Logs Insights query runs on
 * the worker from dist, with no esbuild; the policy rules and the constructs' naming run.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
// In build order: each is built against the ones before it.
const PACKAGES = [
  'cloudwatch-model',
  'terraform-json',
  'terraform-policy',
  'cloudwatch-local',
  'cdktf-monitoring',
];
/** What the packages' manifests ask a project to install: dependencies and peer dependencies. */
const THIRD_PARTY = ['re2js', 'cdktf', '@cdktf/provider-aws', 'constructs'];
/** Every entry point a package's `exports` map offers, by the name a project imports. */
const ENTRY_POINTS = [
  ...PACKAGES.map((name) => `@monitored/${name}`),
  '@monitored/terraform-policy/cdktf',
];

/** A script that uses only the installed package, as another project would. */
const SCRIPT = `
const fs = require('node:fs');
const path = require('node:path');
const { LocalCloudWatch, readStackDefinitions, readOutbox } = require('@monitored/cloudwatch-local');
const { metricCatalogue } = require('@monitored/cloudwatch-model');
(async () => {
  const T0 = Date.UTC(2026, 0, 5, 9);
  fs.mkdirSync('outbox');
  const stack = {
    resource: {
      aws_sns_topic: { alerts: { name: 'alerts' } },
      aws_sns_topic_subscription: {
        me: { topic_arn: '\${aws_sns_topic.alerts.arn}', protocol: 'email', endpoint: 'me@example.com' },
      },
      aws_cloudwatch_metric_alarm: {
        jobs: {
          alarm_name: 'jobs-failing', namespace: 'Jobs', metric_name: 'Failures', statistic: 'Sum',
          period: 60, evaluation_periods: 1, threshold: 1,
          comparison_operator: 'GreaterThanOrEqualToThreshold',
          alarm_actions: ['\${aws_sns_topic.alerts.arn}'],
        },
      },
    },
  };
  const cloudWatch = new LocalCloudWatch({
    definitions: readStackDefinitions(stack),
    catalogue: metricCatalogue([
      { namespace: 'Jobs', name: 'Failures', dimensions: [], unit: 'Count', statistic: 'Sum', doc: '' },
    ]),
    outboxDir: 'outbox',
    now: () => T0,
  });
  cloudWatch.putMetricData({
    namespace: 'Jobs', metricName: 'Failures', dimensions: {}, value: 1, unit: 'Count', timestamp: T0 + 1000,
  });
  cloudWatch.evaluate(T0 + 60000);
  cloudWatch.logs.append('/jobs', { '@timestamp': T0 - 1000, '@message': 'job 7 failed' });
  const monitor = await cloudWatch.startMonitor({ port: 0 });
  try {
    const page = await fetch(monitor.url + '/');
    const query = await fetch(monitor.url + '/api/logs-query', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'fields @message', logGroups: ['/jobs'], lookBackSeconds: 3600 }),
    });
    console.log(JSON.stringify({
      state: cloudWatch.alarms.status('jobs-failing').state,
      emails: readOutbox('outbox').map((email) => email.to + ' ' + email.subject),
      page: page.status + ' ' + (await page.text()).includes('/assets/main-'),
      rows: (await query.json()).rows,
      esbuild: Object.keys(require.cache).some((file) => file.includes('esbuild')),
    }));
  } finally {
    await monitor.stop();
  }
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe('the published packages', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'monitored-published-'));
  const modules = path.join(folder, 'node_modules');
  const node = (script: string) =>
    execFileSync(process.execPath, ['-e', script], { cwd: folder, encoding: 'utf8' });

  beforeAll(() => {
    for (const name of PACKAGES) {
      const workspace = `@monitored/${name}`;
      execFileSync('npm', ['run', 'build', '-w', workspace], { cwd: REPO, stdio: 'pipe' });
      const tarball = execFileSync('npm', ['pack', '-w', workspace, '--pack-destination', folder], {
        cwd: REPO,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .trim()
        .split('\n')
        .at(-1) as string;
      const target = path.join(modules, '@monitored', name);
      fs.mkdirSync(target, { recursive: true });
      execFileSync('tar', [
        '-xzf',
        path.join(folder, tarball),
        '-C',
        target,
        '--strip-components=1',
      ]);
    }
    // The third-party packages, as npm would install them beside.
    for (const name of THIRD_PARTY) {
      fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
      fs.symlinkSync(path.join(REPO, 'node_modules', name), path.join(modules, name));
    }
  }, 600_000);

  afterAll(() => {
    fs.rmSync(folder, { recursive: true, force: true });
    for (const name of PACKAGES)
      fs.rmSync(path.join(REPO, 'packages', name, 'dist'), { recursive: true, force: true });
  });

  it('offers from each entry point exactly the API its source declares', () => {
    const published = JSON.parse(
      node(
        `console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(ENTRY_POINTS)}.map((name) => [name, Object.keys(require(name)).sort()]))))`,
      ),
    ) as Record<string, string[]>;
    // Jest maps each name to the package's source (jest.config.js), as this repository reads it.
    const source = Object.fromEntries(
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the names are data here
      ENTRY_POINTS.map((name) => [name, Object.keys(require(name) as object).sort()]),
    );
    expect(published).toEqual(source);
    expect(Object.values(published).every((names) => names.length > 0)).toBe(true);
  });

  it('runs the policy rules and the constructs from their tarballs', () => {
    const output = node(`
      const { checkStack } = require('@monitored/terraform-policy');
      const { physicalName } = require('@monitored/cdktf-monitoring');
      const { App, TerraformStack } = require('cdktf');
      const { PolicyChecks } = require('@monitored/terraform-policy/cdktf');
      const silent = { resource: { aws_cloudwatch_metric_alarm: { quiet: {
        alarm_name: 'quiet', namespace: 'Jobs', metric_name: 'Failures', statistic: 'Sum',
        period: 60, evaluation_periods: 1, threshold: 1,
        comparison_operator: 'GreaterThanOrEqualToThreshold',
      } } } };
      const app = new App({ outdir: 'cdktf.out' });
      new TerraformStack(app, 'empty');
      console.log(JSON.stringify({
        findings: checkStack(silent).map((finding) => finding.level + ' ' + finding.rule),
        name: physicalName('shop-dev', 'alerts', 'snsTopic'),
        aspect: typeof new PolicyChecks().visit,
      }));
    `);
    expect(JSON.parse(output)).toEqual({
      findings: ['error alarm-actions'],
      name: 'shop-dev-alerts',
      aspect: 'function',
    });
  });

  it('runs cloudwatch-local from its tarball: its prebuilt page and query worker, no esbuild', () => {
    fs.writeFileSync(path.join(folder, 'use.js'), SCRIPT);

    const output = execFileSync(process.execPath, ['use.js'], { cwd: folder, encoding: 'utf8' });

    expect(fs.existsSync(path.join(modules, '@monitored', 'cloudwatch-local', 'page'))).toBe(false);
    expect(JSON.parse(output)).toEqual({
      state: 'ALARM',
      emails: ['me@example.com ALARM: "jobs-failing" in US East (N. Virginia)'],
      page: '200 true',
      rows: [{ '@message': 'job 7 failed' }],
      esbuild: false,
    });
  }, 180_000);
});
