/**
 * The minimal app's synthesized stack, watched on this machine by @monitored/cloudwatch-local
 * through its public exports only: its canary's runs are put as the Synthetics runtime publishes
 * them, a deploy's hold and release of its deploy alarm as a deploy sends them (LocalDeployHold),
 * its alarms are evaluated as CloudWatch evaluates them, and what pages emails the alarm topic's
 * subscriber into the outbox.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  LocalCloudWatch,
  LocalDeployHold,
  loadStackDefinitions,
  readOutbox,
} from '@monitored/cloudwatch-local';
import { deployHoldNamespace, minimalCatalogue } from '../app';
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
    catalogue: minimalCatalogue(SETTINGS),
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

const SITE_DOWN = 'minimal-dev-site-down';
const NOT_RUNNING = 'minimal-dev-api-canary-not-running';

/** The ALARM emails in the outbox, by subject. */
const alarmSubjects = () =>
  readOutbox(outbox)
    .map(({ subject }) => subject)
    .filter((subject) => subject.startsWith('ALARM: '));

/** When an alarm changed to `state`, oldest first. */
const changesTo = (name: string, state: string) =>
  cloudWatch.alarms
    .history(name)
    .filter((change) => change.newState === state)
    .map((change) => change.timestamp)
    .sort((a, b) => a - b);

const states = () =>
  Object.fromEntries(
    cloudWatch.definitions.metricAlarms.map(({ name }) => [
      name,
      cloudWatch.alarms.status(name).state,
    ]),
  );

describe('the minimal app, watched on this machine', () => {
  it('reads its canary, its alarms, its topic and its dashboard from the synthesized stack', () => {
    const { definitions } = cloudWatch;
    expect(definitions.region).toBe(SETTINGS.region);
    expect(definitions.canaries.map(({ name }) => name)).toEqual(['minimal-dev-api']);
    expect(definitions.metricAlarms.map(({ name }) => name).sort()).toEqual([
      'minimal-dev-api-canary-broken',
      NOT_RUNNING,
      'minimal-dev-api-journey-failing',
      'minimal-dev-deploy-in-progress',
      'minimal-dev-deployed-recently',
      'minimal-dev-function-errors',
    ]);
    expect(definitions.compositeAlarms.map(({ name }) => name)).toEqual([SITE_DOWN]);
    expect(definitions.topics.map(({ emails }) => emails)).toEqual([SETTINGS.alertEmails]);
    expect(definitions.dashboards.map(({ name }) => name)).toEqual(['minimal-dev-health']);
  });

  it('stays OK while the canary passes every scheduled run, and sends only the OK emails', () => {
    for (let run = 0; run < 6; run += 1)
      canaryRun('minimal-dev-api', run * RUN_EVERY + 10_000, true);
    cloudWatch.evaluate(T0 + 6 * RUN_EVERY);

    expect(Object.values(states())).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'OK']);
    expect(cloudWatch.alarms.status(SITE_DOWN).state).toBe('OK');
    expect(readOutbox(outbox).every(({ subject }) => subject.startsWith('OK: '))).toBe(true);
  });

  it('goes to ALARM when a run fails, and emails the subscriber from the region the stack is in', () => {
    for (let run = 0; run < 6; run += 1)
      canaryRun('minimal-dev-api', run * RUN_EVERY + 10_000, true);
    cloudWatch.evaluate(T0 + 6 * RUN_EVERY);
    canaryRun('minimal-dev-api', 6 * RUN_EVERY + 10_000, false);
    cloudWatch.evaluate(T0 + 7 * RUN_EVERY + 2 * MINUTE);

    expect(states()).toMatchObject({
      'minimal-dev-api-journey-failing': 'ALARM',
      [NOT_RUNNING]: 'OK',
      'minimal-dev-api-canary-broken': 'OK',
    });
    // The journey's own alarm, and the composite that pages, once its wait for a deploy is over.
    const alarms = readOutbox(outbox).filter(({ subject }) => subject.startsWith('ALARM: '));
    expect(alarms.map(({ to, subject }) => ({ to, subject }))).toEqual([
      {
        to: 'ops@example.com',
        subject: 'ALARM: "minimal-dev-api-journey-failing" in EU (Frankfurt)',
      },
      { to: 'ops@example.com', subject: `ALARM: "${SITE_DOWN}" in EU (Frankfurt)` },
    ]);
    expect(alarms[0].text).toContain(
      'arn:aws:cloudwatch:eu-central-1:000000000000:alarm:minimal-dev-api-journey-failing',
    );
  });

  it('pages through the composite when the canary stops: "not running" in ALARM, then "site down", then its email', () => {
    canaryRun('minimal-dev-api', 10_000, true);
    cloudWatch.evaluate(T0 + 6 * RUN_EVERY + 2 * MINUTE);

    const [notRunningAt] = changesTo(NOT_RUNNING, 'ALARM');
    const [siteDownAt] = changesTo(SITE_DOWN, 'ALARM');
    expect(notRunningAt).toBeDefined();
    expect(siteDownAt).toBeGreaterThanOrEqual(notRunningAt);
    // "Not running" says nothing itself: the one ALARM email is the composite's, sent once its
    // minute's wait for the deploy alarm (its actions suppressor) is over.
    expect(alarmSubjects()).toEqual([`ALARM: "${SITE_DOWN}" in EU (Frankfurt)`]);
    const sent = cloudWatch.sent.find(
      ({ alarmName, state }) => alarmName === SITE_DOWN && state === 'ALARM',
    );
    expect(sent?.sentAt).toBe(siteDownAt + MINUTE);
  });
});

describe('a brand-new minimal app, created by a deploy that holds its deploy alarm', () => {
  /** The deploy holds the alarm 2 minutes before it creates the stack (at T0), and releases it after. */
  const HELD_AT = T0 - 2 * MINUTE;
  const RELEASED_AT = T0 + 3 * MINUTE;

  /**
   * Plays the first `minutes` of the stack minute by minute, as CloudWatch evaluates: the hold
   * and the release as the deploy sends them, and the canary's runs from `firstRunAt` on, one
   * every interval (never, when undefined).
   */
  function play(minutes: number, firstRunAt: number | undefined): void {
    const deploy = new LocalDeployHold(cloudWatch.metrics, deployHoldNamespace(SETTINGS));
    deploy.hold(HELD_AT);
    let nextRun = firstRunAt;
    for (let now = T0 + MINUTE; now <= T0 + minutes * MINUTE; now += MINUTE) {
      if (now === RELEASED_AT) deploy.release(now);
      while (nextRun !== undefined && nextRun <= now) {
        canaryRun('minimal-dev-api', nextRun - T0, true);
        nextRun += RUN_EVERY;
      }
      cloudWatch.evaluate(now);
    }
  }

  it("sends no ALARM but the deploy alarm's own while its canary has not run yet", () => {
    // Synthetics starts a new canary within minutes: the latest the grace allows for is an
    // interval and the run with its retry.
    play(60, T0 + 6 * MINUTE);

    expect(alarmSubjects()).toEqual(['ALARM: "minimal-dev-deploy-in-progress" in EU (Frankfurt)']);
    // Not vacuous: "not running" was in ALARM from its first evaluation until the first run,
    // while "deployed recently" kept "site down" from ALARM.
    expect(changesTo(NOT_RUNNING, 'ALARM')).toEqual([T0 + MINUTE]);
    expect(changesTo(NOT_RUNNING, 'OK')).toEqual([T0 + 6 * MINUTE]);
    expect(changesTo('minimal-dev-deployed-recently', 'ALARM')).toEqual([T0 + MINUTE]);
    expect(changesTo(SITE_DOWN, 'ALARM')).toEqual([]);
    expect(states()).toMatchObject({
      [NOT_RUNNING]: 'OK',
      'minimal-dev-deploy-in-progress': 'OK',
      'minimal-dev-deployed-recently': 'OK',
    });
  });

  it('pages once the grace is over if the canary never runs, and not before', () => {
    play(60, undefined);

    const [graceOver] = changesTo('minimal-dev-deployed-recently', 'OK');
    expect(graceOver).toBeGreaterThan(RELEASED_AT);
    expect(changesTo(SITE_DOWN, 'ALARM')).toEqual([graceOver]);
    expect(alarmSubjects()).toEqual([
      'ALARM: "minimal-dev-deploy-in-progress" in EU (Frankfurt)',
      `ALARM: "${SITE_DOWN}" in EU (Frankfurt)`,
    ]);
  });
});
