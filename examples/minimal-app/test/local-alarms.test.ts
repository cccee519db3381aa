/**
 * The minimal app's synthesized stack, watched on this machine by @monitored/cloudwatch-local
 * through its public exports only: its canary's runs are put as the Synthetics runtime publishes
 * them, its alarms are evaluated as CloudWatch evaluates them, and a failed run emails the alarm
 * topic's subscriber into the outbox.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalCloudWatch, loadStackDefinitions, readOutbox } from '@monitored/cloudwatch-local';
import { AWS_METRICS, metricCatalogue } from '@monitored/cloudwatch-model';
import { SETTINGS, synthesizeExample, type SynthesizedExample } from './synthesized';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MINUTE = 60_000;
const RUN_EVERY = 5 * MINUTE;

let example: SynthesizedExample;
let outbox: string;
let cloudWatch: LocalCloudWatch;

beforeAll(() => {
  example = synthesizeExample();
});
afterAll(() => fs.rmSync(example.workdir, { recursive: true, force: true }));

beforeEach(() => {
  outbox = fs.mkdtempSync(path.join(example.workdir, 'outbox-'));
  cloudWatch = new LocalCloudWatch({
    definitions: loadStackDefinitions(example.stackFile, { stage: 'dev' }),
    catalogue: metricCatalogue(AWS_METRICS),
    outboxDir: outbox,
    now: () => T0,
  });
});

/** One scheduled run of the canary as the runtime publishes it, `at` ms after T0. */
function canaryRun(canaryName: string, at: number, passed: boolean): void {
  const published = { dimensions: { CanaryName: canaryName }, timestamp: T0 + at };
  cloudWatch.putMetricData({
    ...published,
    namespace: 'CloudWatchSynthetics',
    metricName: 'SuccessPercentWithRetries',
    value: passed ? 100 : 0,
    unit: 'Percent',
  });
  cloudWatch.putMetricData({
    ...published,
    namespace: 'CloudWatchSynthetics',
    metricName: 'Failed',
    value: 0,
    unit: 'Count',
  });
}

const states = () =>
  Object.fromEntries(
    cloudWatch.definitions.metricAlarms.map(({ name }) => [
      name,
      cloudWatch.alarms.status(name).state,
    ]),
  );

describe('the minimal app, watched on this machine', () => {
  it('reads its canary, its four alarms, its topic and its dashboard from the synthesized stack', () => {
    const { definitions } = cloudWatch;
    expect(definitions.region).toBe(SETTINGS.region);
    expect(definitions.canaries.map(({ name }) => name)).toEqual(['minimal-dev-api']);
    expect(definitions.metricAlarms.map(({ name }) => name).sort()).toEqual([
      'minimal-dev-api-canary-broken',
      'minimal-dev-api-canary-not-running',
      'minimal-dev-api-journey-failing',
      'minimal-dev-function-errors',
    ]);
    expect(definitions.topics.map(({ emails }) => emails)).toEqual([SETTINGS.alertEmails]);
    expect(definitions.dashboards.map(({ name }) => name)).toEqual(['minimal-dev-health']);
  });

  it('stays OK while the canary passes every scheduled run, and sends only the OK emails', () => {
    for (let run = 0; run < 6; run += 1)
      canaryRun('minimal-dev-api', run * RUN_EVERY + 10_000, true);
    cloudWatch.evaluate(T0 + 6 * RUN_EVERY);

    expect(Object.values(states())).toEqual(['OK', 'OK', 'OK', 'OK']);
    expect(readOutbox(outbox).every(({ subject }) => subject.startsWith('OK: '))).toBe(true);
  });

  it('goes to ALARM when a run fails, and emails the subscriber from the region the stack is in', () => {
    for (let run = 0; run < 6; run += 1)
      canaryRun('minimal-dev-api', run * RUN_EVERY + 10_000, true);
    cloudWatch.evaluate(T0 + 6 * RUN_EVERY);
    canaryRun('minimal-dev-api', 6 * RUN_EVERY + 10_000, false);
    cloudWatch.evaluate(T0 + 7 * RUN_EVERY + MINUTE);

    expect(states()).toMatchObject({
      'minimal-dev-api-journey-failing': 'ALARM',
      'minimal-dev-api-canary-not-running': 'OK',
      'minimal-dev-api-canary-broken': 'OK',
    });
    const alarms = readOutbox(outbox).filter(({ subject }) => subject.startsWith('ALARM: '));
    expect(alarms.map(({ to, subject }) => ({ to, subject }))).toEqual([
      {
        to: 'ops@example.com',
        subject: 'ALARM: "minimal-dev-api-journey-failing" in EU (Frankfurt)',
      },
    ]);
    expect(alarms[0].text).toContain(
      'arn:aws:cloudwatch:eu-central-1:000000000000:alarm:minimal-dev-api-journey-failing',
    );
  });

  it('finds "not running" in ALARM when the canary stops publishing, as missing data breaches', () => {
    canaryRun('minimal-dev-api', 10_000, true);
    cloudWatch.evaluate(T0 + 6 * RUN_EVERY);

    expect(states()['minimal-dev-api-canary-not-running']).toBe('ALARM');
  });
});
