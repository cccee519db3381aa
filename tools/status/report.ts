/**
 * A stage's health on one screen: each finding marked `ok`, `!!` (needs attention: exit 1) or
 * `..` (worth knowing, not wrong), in sections. Pure: the same health and clock give the same text.
 */
import { CANARY_NAMES } from '../../contract/canaries';
import type { CallFailure } from './aws-failure';
import { isFailure, type AlarmHealth, type CanaryHealth, type StageHealth } from './stage-health';

/** `value` is a plain line: a fact shown, not judged (an output's value). */
export type Mark = 'ok' | 'attention' | 'note' | 'value';

export interface Finding {
  readonly mark: Mark;
  readonly text: string;
  /** Lines under the finding, indented. */
  readonly details?: readonly string[];
}

export interface Section {
  readonly title: string;
  readonly findings: readonly Finding[];
}

export interface Report {
  readonly heading: string;
  readonly sections: readonly Section[];
  /** How many findings need attention: 0 is a healthy stage. */
  readonly attention: number;
}

/** The docs page that says what to do about each finding. */
export const RUNBOOK = 'docs/runbook.md';

const MARKS: Record<Mark, string> = { ok: 'ok', attention: '!!', note: '..', value: '  ' };

/** `2026-11-28 11:58Z`. */
function at(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

/** `3 min ago`, `2 h ago`, `4 days ago`. */
function ago(date: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - date.getTime()) / 60_000));
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

function since(date: Date | undefined, now: Date): string {
  return date === undefined ? '' : ` since ${at(date)} (${ago(date, now)})`;
}

const UNREAD_ALARMS = 'unknown: the alarms could not be read (above)';

function failed(failure: CallFailure): Finding {
  return { mark: 'attention', text: `unknown: ${failure.message}` };
}

/** Canary states that pass on their own: a deploy is creating, starting or updating it. */
const CHANGING = new Set(['CREATING', 'STARTING', 'UPDATING']);

function canaryFindings(canary: CanaryHealth, region: string, now: Date): Finding[] {
  if (canary.canary === undefined) {
    return [
      {
        mark: 'attention',
        text: `${canary.name}: no such canary in ${region} (is the stage deployed, in this account?)`,
      },
    ];
  }
  const { state, reason, schedule, runtime } = canary.canary;
  const about = [schedule, runtime].filter(Boolean).join(', ');
  const stateMark: Mark = state === 'RUNNING' ? 'ok' : CHANGING.has(state) ? 'note' : 'attention';
  const findings: Finding[] = [
    {
      mark: stateMark,
      text: `${canary.name}: ${state}${reason !== undefined && state !== 'RUNNING' ? ` (${reason})` : ''}${about === '' ? '' : `, ${about}`}`,
    },
  ];
  if (isFailure(canary.runs)) return [...findings, failed(canary.runs)];
  if (canary.runs.length === 0) {
    return [...findings, { mark: 'note', text: `${canary.name}: no run yet` }];
  }
  // A run still going says nothing yet: the newest finished one is the canary's verdict.
  const finished = canary.runs.find((run) => run.state !== 'RUNNING');
  const list = canary.runs
    .map((run) => `${run.state}${run.started === undefined ? '' : ` ${at(run.started)}`}`)
    .join(', ');
  const lastFailed = finished?.state === 'FAILED';
  findings.push({
    mark: lastFailed ? 'attention' : finished === undefined ? 'note' : 'ok',
    text: `${canary.name}: last runs, newest first: ${list}`,
    details:
      lastFailed && finished.reason !== undefined
        ? [
            `last failure${finished.started === undefined ? '' : ` (${ago(finished.started, now)})`}: ${finished.reason}`,
          ]
        : undefined,
  });
  return findings;
}

function alarmLine(alarm: AlarmHealth, now: Date): string {
  const kind = alarm.kind === 'composite' ? ' (composite)' : '';
  const reason = alarm.reason === undefined ? '' : `: ${alarm.reason}`;
  return `${alarm.name}${kind} ${alarm.state}${since(alarm.since, now)}${reason}`;
}

function alarmFindings(health: StageHealth, now: Date): Finding[] {
  const { target } = health;
  const findings: Finding[] = health.alarmFailures.map(failed);
  const alarms = health.alarms.filter((alarm) => alarm.name !== target.deployAlarm);
  if (health.alarmFailures.length === 0 && health.alarms.length === 0) {
    return [
      {
        mark: 'attention',
        text: `no alarm named ${target.namePrefix}-* in ${target.alarmRegions.join(' or ')} (is the stage deployed, in this account?)`,
      },
    ];
  }
  for (const alarm of alarms.filter((candidate) => candidate.state === 'ALARM')) {
    // In ALARM for hours after each deploy, as it should be.
    if (alarm.name === target.deployedRecentlyAlarm)
      findings.push({
        mark: 'note',
        text: alarmLine(alarm, now),
        details: [
          `a deploy was held or released lately: until this ends, a canary that has not run yet does not page through ${target.siteDownAlarm}`,
        ],
      });
    else findings.push({ mark: 'attention', text: alarmLine(alarm, now) });
  }
  for (const alarm of alarms.filter((candidate) => !candidate.actionsEnabled)) {
    findings.push({
      mark: 'attention',
      text: `${alarm.name}: its actions are disabled, so it notifies nobody (aws cloudwatch enable-alarm-actions --region ${alarm.region} --alarm-names ${alarm.name})`,
    });
  }
  for (const alarm of alarms.filter((candidate) => candidate.suppressedBy !== undefined)) {
    findings.push({
      mark: 'note',
      text: `${alarm.name}: its actions are held back (${alarm.suppressedBy})`,
    });
  }
  const waiting = alarms.filter((alarm) => alarm.state === 'INSUFFICIENT_DATA');
  if (waiting.length > 0) {
    findings.push({
      mark: 'note',
      text: `${waiting.length} INSUFFICIENT_DATA (no data yet, or not enough): ${waiting.map((alarm) => alarm.name).join(', ')}`,
    });
  }
  const ok = alarms.filter((alarm) => alarm.state === 'OK');
  if (ok.length > 0) findings.push({ mark: 'ok', text: `${ok.length} OK` });
  return findings;
}

function deployAlarmFindings(health: StageHealth, now: Date): Finding[] {
  const { target } = health;
  // The failed call is counted once, under Alarms.
  if (health.alarmFailures.length > 0) return [{ mark: 'note', text: UNREAD_ALARMS }];
  const alarm = health.alarms.find((candidate) => candidate.name === target.deployAlarm);
  if (alarm === undefined) {
    return [
      {
        mark: 'attention',
        text: `${target.deployAlarm}: not found in ${target.region} (is the stage deployed?)`,
      },
    ];
  }
  if (alarm.state !== 'ALARM') {
    return [{ mark: 'ok', text: `${alarmLine(alarm, now)}: "site down" can page` }];
  }
  return [
    {
      mark: 'attention',
      text: alarmLine(alarm, now),
      details: [
        `while it is in ALARM, ${target.siteDownAlarm} pages nobody`,
        `if no deploy of ${target.stage} is running: npm run deploy-alarm -- ${target.stage} clear`,
      ],
    },
  ];
}

function subscriptionFindings(health: StageHealth): Finding[] {
  if (health.alarmFailures.length > 0) {
    return [{ mark: 'note', text: `${UNREAD_ALARMS} (the topics are the alarms')` }];
  }
  return health.topics.flatMap((topic): Finding[] => {
    if (isFailure(topic.subscriptions)) return [failed(topic.subscriptions)];
    if (topic.subscriptions.length === 0) {
      return [
        {
          mark: 'attention',
          text: `${topic.topicArn}: nobody is subscribed, so its alarms reach no one (set ALERT_EMAILS_${health.target.stage.toUpperCase()} and deploy)`,
        },
      ];
    }
    return topic.subscriptions.map((subscription) =>
      subscription.pending
        ? {
            mark: 'attention' as const,
            text: `${subscription.endpoint} (${subscription.protocol}, ${topic.topicArn}): pending confirmation`,
            details: [
              'SNS sends it nothing, every alarm included, until the link in the "AWS Notification - Subscription Confirmation" email is clicked',
            ],
          }
        : {
            mark: 'ok' as const,
            text: `${subscription.endpoint} (${subscription.protocol}, ${topic.topicArn}): confirmed`,
          },
    );
  });
}

function outputFindings(health: StageHealth): Finding[] {
  const { outputs } = health;
  if (outputs.found === 'unknown') return [failed(outputs.failure)];
  if (outputs.found === false) {
    return [
      {
        mark: 'attention',
        text: `nothing at ${outputs.where}: not deployed with this state (set TF_STATE_BUCKET and TF_STATE_REGION as the deploy did)`,
      },
    ];
  }
  const width = Math.max(0, ...Object.keys(outputs.values).map((name) => name.length));
  return Object.entries(outputs.values).map(([name, value]) => ({
    mark: 'value' as const,
    text: `${name.padEnd(width)}  ${typeof value === 'string' ? value : JSON.stringify(value)}`,
  }));
}

function lockFindings(health: StageHealth, now: Date): Finding[] {
  const lock = health.stateLock;
  if (lock === undefined) return [];
  if (lock.held === 'unknown') return [failed(lock.failure)];
  if (lock.held === false) return [{ mark: 'ok', text: 'not locked' }];
  return [
    {
      mark: 'attention',
      text: `locked${since(lock.since, now)}`,
      details: [
        'a deploy is running, or one died holding the lock',
        `if none is running, clear it as ${RUNBOOK} says ("A stuck state lock")`,
      ],
    },
  ];
}

/** What status found, judged. */
export function buildReport(health: StageHealth, now: Date): Report {
  const { target } = health;
  const canaries = isFailure(health.canaries)
    ? [failed(health.canaries)]
    : CANARY_NAMES.flatMap((journey) => {
        const canary = (health.canaries as readonly CanaryHealth[]).find(
          (candidate) => candidate.journey === journey,
        );
        return canary === undefined ? [] : canaryFindings(canary, target.region, now);
      });
  const sections: Section[] = [
    { title: `Canaries (${target.region})`, findings: canaries },
    { title: `Alarms (${target.alarmRegions.join(', ')})`, findings: alarmFindings(health, now) },
    { title: 'Deploy alarm', findings: deployAlarmFindings(health, now) },
    { title: 'Alarm emails', findings: subscriptionFindings(health) },
    { title: `Outputs (${health.outputs.where})`, findings: outputFindings(health) },
  ];
  if (health.stateLock !== undefined) {
    sections.push({
      title: `State lock (${health.stateLock.where})`,
      findings: lockFindings(health, now),
    });
  }
  const attention = sections
    .flatMap((section) => section.findings)
    .filter((finding) => finding.mark === 'attention').length;
  return {
    heading: `${target.namePrefix}: stage ${target.stage} in ${target.region}, read ${at(now)}`,
    sections,
    attention,
  };
}

/** The report as text for a terminal. */
export function renderReport(report: Report): string {
  const lines = [report.heading, ''];
  for (const section of report.sections) {
    lines.push(section.title);
    for (const finding of section.findings) {
      lines.push(`  ${MARKS[finding.mark]} ${finding.text}`);
      for (const detail of finding.details ?? []) lines.push(`       ${detail}`);
    }
  }
  lines.push(
    '',
    report.attention === 0
      ? 'Healthy: nothing needs attention.'
      : `${report.attention === 1 ? '1 thing needs' : `${report.attention} things need`} attention (!!); ${RUNBOOK} says what to do.`,
  );
  return `${lines.join('\n')}\n`;
}
