// @tier e2e
/**
 * A new stage's first hours in the whole loop, fast: the real system with DynamoDB Local, the
 * canaries' real journeys started as Synthetics starts a new stage's (dev's website cron first
 * runs at its next 00:30 or 12:30 UTC, up to 12 hours in), the stage's synthesized alarms, the
 * deploy alarm held from the start as the pipeline holds it around the deploy that creates the
 * stage, and the outbox. Every wait is on what the loop reports, with a bound.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMonitoredSystem, type MonitoredSystem } from '../../../local/monitored-system';
import { LoopWatcher } from '../../../local/monitoring/loop-watcher';
import type { SentEmail } from '@monitored/cloudwatch-local';
import type { Stage } from '../../../stacks/config';
import { deployInProgressMetric, nextRun } from '@monitored/cloudwatch-model';
import { pollUntil } from '../../support/processes';
import { parseEmailWithPython } from '../../support/python-email';
import { TEST_TODAY } from '../../support/synth';

const HOUR = 3_600_000;
const MINUTE = 60_000;

interface Started {
  readonly monitored: MonitoredSystem;
  readonly events: LoopWatcher;
  readonly outboxDir: string;
}

const started: Started[] = [];
afterEach(async () => {
  for (const { monitored, outboxDir } of started.splice(0)) {
    await monitored.stop();
    fs.rmSync(outboxDir, { recursive: true, force: true });
  }
});

async function startNewStage(stage: Stage, timeScale: number): Promise<Started> {
  const events = new LoopWatcher();
  const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
  const monitored = await startMonitoredSystem({
    stage,
    timeScale,
    newStage: true,
    ports: { website: 0, api: 0, dynamodb: 0 },
    monitorPort: 0,
    outboxDir,
    today: TEST_TODAY,
    onNotice: () => undefined,
    onMonitorEvent: events.listener,
  });
  const run = { monitored, events, outboxDir };
  started.push(run);
  return run;
}

/** Waits, at most `withinMs` of real time, until the loop has evaluated its alarms up to `time`. */
async function evaluatedUntil(monitored: MonitoredSystem, time: number, withinMs: number) {
  expect(await pollUntil(() => monitored.loop.alarms.evaluatedUntil >= time, withinMs)).toBe(true);
}

const alarmEmails = (sent: readonly SentEmail[]) =>
  sent.filter((email) => email.state === 'ALARM').map((email) => email.alarmName);

describe('a new stage in the local loop', () => {
  it("sends no ALARM email through dev's first 13 simulated hours but the deploy alarm's own, though its website canary first runs up to 12 hours in", async () => {
    const { monitored } = await startNewStage('dev', 3600);
    const createdAt = monitored.loop.startedAt;
    const website = monitored.definitions.canaries.website;
    // The pipeline releases the hold once its smoke gate passed.
    await monitored.loop.deployAlarm.release();
    const firstWebsiteRun = nextRun(website.schedule.expression, createdAt, createdAt - 1)!;

    await evaluatedUntil(monitored, createdAt + 13 * HOUR, 60_000);

    expect(alarmEmails(monitored.loop.sent)).toEqual(['msgs-dev-deploy-in-progress']);
    // Not vacuous: the website canary had not run for hours, its "not running" alarm was in
    // ALARM until it did, and deployed-recently, in ALARM until later, kept "site down" OK.
    expect(monitored.loop.scheduler.runs(website.name).at(-1)?.scheduledAt).toBe(firstWebsiteRun);
    const notRunning = monitored.loop.alarms.history('msgs-dev-website-canary-not-running');
    expect(notRunning.map((change) => change.newState)).toEqual(['ALARM', 'OK']);
    expect(notRunning[1].timestamp).toBeGreaterThanOrEqual(firstWebsiteRun);
    const recently = monitored.loop.alarms.history('msgs-dev-deployed-recently');
    expect(recently.map((change) => change.newState)).toEqual(['ALARM', 'OK']);
    expect(recently[1].timestamp).toBeGreaterThan(notRunning[1].timestamp);
    expect(
      monitored.loop.alarms
        .history('msgs-dev-site-down')
        .map((change) => [change.newState, change.actionsSuppressed?.by]),
    ).toEqual([['OK', 'Alarm']]);
  }, 120_000);

  it('pages "site down" for a canary that never runs, once the hours after the deploy end (dev\'s: 729 minutes from the release)', async () => {
    const { monitored, events } = await startNewStage('dev', 3600);
    monitored.loop.scheduler.stopCanary('msgs-dev-website');
    await monitored.loop.deployAlarm.release();

    const email = await events.waitFor(
      '"site down" ALARM email',
      events.email('msgs-dev-site-down', 'ALARM'),
      { withinMs: 60_000 },
    );

    // The release's minute: the last the deploy's data has a sample in (its 0, the end of the
    // deploy). deployed-recently is OK once that minute has left its 729 one-minute periods and
    // the 2 more the engine reads; then "site down" waits its minute for its suppressor, which is
    // long OK.
    const [releasedMinute] = monitored.data.metrics
      .datapoints(
        deployInProgressMetric('msgs-dev'),
        {},
        'SampleCount',
        60,
        monitored.loop.startedAt - HOUR,
        email.sentAt,
      )
      .map((datapoint) => datapoint.timestamp)
      .slice(-1);
    expect(monitored.loop.alarms.history('msgs-dev-deploy-in-progress').at(-1)?.newState).toBe(
      'OK',
    );
    expect(monitored.loop.alarms.history('msgs-dev-deployed-recently').at(-1)).toMatchObject({
      newState: 'OK',
      timestamp: releasedMinute + 731 * MINUTE,
    });
    expect(email.sentAt).toBe(releasedMinute + 732 * MINUTE);
    expect(alarmEmails(monitored.loop.sent)).toEqual([
      'msgs-dev-deploy-in-progress',
      'msgs-dev-site-down',
    ]);
    // Which canary: the reason names deployed-recently going OK, and the email's notes the
    // canary that has never run.
    const body = parseEmailWithPython(fs.readFileSync(email.file)).body;
    expect(body).toContain('msgs-dev-deployed-recently transitioned to OK');
    expect(body).toMatch(/msgs-dev-website ha[sd] not finished a run/);
    expect(monitored.loop.alarms.status('msgs-dev-website-canary-not-running').state).toBe('ALARM');
  }, 120_000);

  it('lets a deploy alarm its runner never released end by itself after 2 hours, then pages "site down" for a canary that stopped meanwhile', async () => {
    const { monitored, events } = await startNewStage('prod', 1200);
    const heldAt = monitored.loop.startedAt;
    await events.waitFor('a passing API run', events.run('msgs-prod-api', true), {
      withinMs: 60_000,
    });
    monitored.loop.scheduler.stopCanary('msgs-prod-api');

    const ok = await events.waitFor(
      'the deploy alarm going back to OK by itself',
      events.email('msgs-prod-deploy-in-progress', 'OK'),
      { withinMs: 60_000 },
    );
    const paged = await events.waitFor(
      '"site down" ALARM email',
      events.email('msgs-prod-site-down', 'ALARM'),
      { withinMs: 60_000 },
    );

    // 120 one-minute periods and the 2 more the evaluation range reads, from the held minute.
    expect(ok.sentAt - Math.floor(heldAt / MINUTE) * MINUTE).toBe(2 * HOUR + 2 * MINUTE);
    // "Site down" went to ALARM while held (the API canary silent, deployed-recently over after
    // its 69 minutes), then waited its ExtensionPeriod: one more API journey, 6 minutes, its run
    // and retry at 30 s, and a minute.
    expect(paged.sentAt - ok.sentAt).toBe(480_000);
    expect(
      monitored.loop.alarms
        .history('msgs-prod-site-down')
        .map((change) => [change.newState, change.actionsSuppressed?.by]),
    ).toEqual([
      ['OK', 'Alarm'],
      ['ALARM', 'Alarm'],
    ]);
    expect(alarmEmails(monitored.loop.sent)).toEqual([
      'msgs-prod-deploy-in-progress',
      'msgs-prod-site-down',
    ]);
  }, 120_000);
});
