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
import type { SentEmail } from '../../../local/monitoring/outbox';
import type { Stage } from '../../../stacks/config';
import { nextRun } from '../../../stacks/monitoring/schedules';
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
    // ALARM until it did, and the composite that notifies for it was held back.
    expect(monitored.loop.scheduler.runs(website.name).at(-1)?.scheduledAt).toBe(firstWebsiteRun);
    const notRunning = monitored.loop.alarms.history('msgs-dev-website-canary-not-running');
    expect(notRunning.map((change) => change.newState)).toEqual(['ALARM', 'OK']);
    expect(notRunning[1].timestamp).toBeGreaterThanOrEqual(firstWebsiteRun);
    expect(
      monitored.loop.alarms
        .history('msgs-dev-canaries-not-running')
        .map((change) => [change.newState, change.actionsSuppressed?.by]),
    ).toEqual([
      ['ALARM', 'Alarm'],
      ['OK', expect.stringMatching(/^(ExtensionPeriod|WaitPeriod)$/)],
    ]);
  }, 120_000);

  it('emails "not running" for a canary that never runs, once the wait after the deploy ends (dev\'s website: 12 hours 9 minutes)', async () => {
    const { monitored, events } = await startNewStage('dev', 3600);
    monitored.loop.scheduler.stopCanary('msgs-dev-website');
    await monitored.loop.deployAlarm.release();

    const email = await events.waitFor(
      '"canaries not running" ALARM email',
      events.email('msgs-dev-canaries-not-running', 'ALARM'),
      { withinMs: 60_000 },
    );

    // From the deploy alarm's return to OK, the composite waits its ExtensionPeriod: the website
    // canary's interval, its run and retry at 120 s, and 5 minutes.
    const released = monitored.loop.alarms.history('msgs-dev-deploy-in-progress').at(-1)!;
    expect(released.newState).toBe('OK');
    expect(email.sentAt - released.timestamp).toBe(43_740_000);
    expect(alarmEmails(monitored.loop.sent)).toEqual([
      'msgs-dev-deploy-in-progress',
      'msgs-dev-canaries-not-running',
    ]);
    // Which canary: the one that has never run, as the email's local notes say.
    expect(parseEmailWithPython(fs.readFileSync(email.file)).body).toContain(
      'msgs-dev-website has not finished a run yet',
    );
  }, 120_000);

  it('lets a deploy alarm its runner never released end by itself after 2 hours, then emails "not running" for a canary that stopped meanwhile', async () => {
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
    const notRunning = await events.waitFor(
      '"canaries not running" ALARM email',
      events.email('msgs-prod-canaries-not-running', 'ALARM'),
      { withinMs: 60_000 },
    );

    // 120 one-minute periods and the 2 more the evaluation range reads, from the held minute.
    expect(ok.sentAt - Math.floor(heldAt / MINUTE) * MINUTE).toBe(2 * HOUR + 2 * MINUTE);
    // The composite stayed quiet while held, then waited its ExtensionPeriod: prod's website
    // canary's hour, its run and retry at 120 s, and 5 minutes.
    expect(notRunning.sentAt - ok.sentAt).toBe(4_140_000);
    expect(
      monitored.loop.alarms.history('msgs-prod-canaries-not-running')[0].actionsSuppressed?.by,
    ).toBe('Alarm');
    expect(alarmEmails(monitored.loop.sent)).toEqual([
      'msgs-prod-deploy-in-progress',
      'msgs-prod-canaries-not-running',
    ]);
  }, 120_000);
});
