/**
 * SNS email delivery into a folder: each alarm event whose actions name one of the stage's topics
 * becomes one RFC 5322 message (`.eml`, which any mail client opens) per address subscribed to
 * that topic, as SNS sends a CloudWatch alarm to its email subscribers. Actions that are not a
 * topic of the stage (AWS would run them elsewhere) are reported and sent nowhere.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AlarmEvent } from './alarm-engine';
import type { AlarmDefinition, MetricAlarmDefinition } from '@monitored/cloudwatch-model';
import { alarmEmailMessage, type AlarmEmail } from './sns-email';
import type { StackDefinitions } from './stack-definitions';

export interface SentEmail {
  readonly alarmName: string;
  readonly state: string;
  readonly recipient: string;
  readonly subject: string;
  readonly file: string;
  /** Simulated time of the state change it reports. */
  readonly timestamp: number;
  /** Simulated time it was sent: the change, or the end of the period that held its actions back. */
  readonly sentAt: number;
}

export interface OutboxOptions {
  /**
   * An existing folder the emails are written to. Made by the caller, who knows which paths are
   * safe to create (Node's recursive mkdir never returns under /proc).
   */
  readonly directory: string;
  /** The topics and their subscribers, and the account the emails name. */
  readonly definitions: Pick<StackDefinitions, 'topics' | 'accountId'>;
  /** Rewrites a console URL in the email about a change at `at` to the local page for it. */
  readonly rewriteLink: (url: string, at: number) => string;
  /**
   * Lines the local monitor adds to the email about a change to `state` at `at` (what the
   * canaries' runs found by then).
   */
  readonly localNotes?: (
    definition: AlarmDefinition,
    state: string,
    at: number,
  ) => readonly string[];
  /** An action that names no topic of the stage, so nothing is sent for it. */
  readonly onUndeliverable?: (alarmName: string, action: string) => void;
}

const isMetricAlarm = (definition: AlarmDefinition): definition is MetricAlarmDefinition =>
  'metricName' in definition;

/** CloudWatch writes `2022-07-22T15:57:45.394+0000`; Date reads `+00:00`. */
const cloudWatchTime = (text: string) => new Date(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));

function triggeringChildren(reasonData: string | undefined): AlarmEmail['triggeringChildren'] {
  if (reasonData === undefined) return [];
  try {
    const data = JSON.parse(reasonData) as {
      triggeringAlarms?: { arn: string; state: { value: string; timestamp: string } }[];
    };
    return (data.triggeringAlarms ?? []).map((alarm) => ({
      arn: alarm.arn,
      state: alarm.state.value,
      timestamp: cloudWatchTime(alarm.state.timestamp),
    }));
  } catch {
    return [];
  }
}

/** A file name that sorts by time and says what it is: `20261128T120700Z-<alarm>-ALARM-<to>.eml`. */
function fileName(timestamp: number, alarmName: string, state: string, recipient: string): string {
  const time = new Date(timestamp)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const safe = (text: string) => text.replace(/[^A-Za-z0-9@._+-]/g, '_');
  return `${time}-${safe(alarmName)}-${state}-${safe(recipient)}`;
}

export class Outbox {
  constructor(private readonly options: OutboxOptions) {
    let isFolder: boolean;
    try {
      isFolder = fs.statSync(options.directory).isDirectory();
    } catch (error: unknown) {
      throw new Error(
        `the outbox ${options.directory} is not usable: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    if (!isFolder) throw new Error(`the outbox ${options.directory} is a file, not a folder`);
  }

  get directory(): string {
    return this.options.directory;
  }

  /** Sends the emails an alarm event's actions call for; returns what was written. */
  deliver(event: AlarmEvent): SentEmail[] {
    const { definitions } = this.options;
    const { change, definition, actions } = event;
    const sentAt = event.type === 'ActionsReleased' ? event.timestamp : change.timestamp;
    const sent: SentEmail[] = [];
    for (const action of actions) {
      const topic = definitions.topics.find((candidate) => candidate.arn === action);
      if (topic === undefined) {
        this.options.onUndeliverable?.(definition.name, action);
        continue;
      }
      for (const recipient of topic.emails) {
        const email: AlarmEmail = {
          alarmName: change.alarmName,
          alarmArn: change.alarmArn,
          ...(definition.description !== undefined && { description: definition.description }),
          region: definition.region,
          accountId: definitions.accountId,
          oldState: change.oldState,
          newState: change.newState,
          reason: change.reason,
          timestamp: new Date(change.timestamp),
          sentAt: new Date(sentAt),
          alarmActions: definition.alarmActions,
          okActions: definition.okActions,
          insufficientDataActions: definition.insufficientDataActions,
          ...(isMetricAlarm(definition)
            ? {
                metric: {
                  namespace: definition.namespace,
                  metricName: definition.metricName,
                  dimensions: definition.dimensions,
                  statistic: definition.statistic,
                  period: definition.period,
                  evaluationPeriods: definition.evaluationPeriods,
                  datapointsToAlarm: definition.datapointsToAlarm,
                  comparisonOperator: definition.comparisonOperator,
                  threshold: definition.threshold,
                  treatMissingData: definition.treatMissingData ?? 'missing',
                  ...(definition.unit !== undefined && { unit: definition.unit }),
                },
              }
            : {
                alarmRule: definition.alarmRule,
                triggeringChildren: triggeringChildren(change.reasonData),
              }),
          topicArn: topic.arn,
          recipient,
          rewriteLink: (url) => this.options.rewriteLink(url, change.timestamp),
          localNotes:
            this.options.localNotes?.(definition, change.newState, change.timestamp) ?? [],
        };
        const { subject, message } = alarmEmailMessage(email);
        const base = fileName(sentAt, change.alarmName, change.newState, recipient);
        let file = path.join(this.options.directory, `${base}.eml`);
        for (let n = 2; fs.existsSync(file); n++)
          file = path.join(this.options.directory, `${base}-${n}.eml`);
        // Written whole under another name first: a reader watching the folder never sees half.
        fs.writeFileSync(`${file}.partial`, message);
        fs.renameSync(`${file}.partial`, file);
        sent.push({
          alarmName: change.alarmName,
          state: change.newState,
          recipient,
          subject,
          file,
          timestamp: change.timestamp,
          sentAt,
        });
      }
    }
    return sent;
  }
}

/** An email of the outbox as a mail client shows it. */
export interface OutboxEmail {
  readonly file: string;
  readonly to: string;
  readonly subject: string;
  /** The body, quoted-printable decoded. */
  readonly text: string;
}

/** The emails in an outbox folder, oldest first (their names start with the time they report). */
export function readOutbox(directory: string): OutboxEmail[] {
  return fs
    .readdirSync(directory)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => {
      const file = path.join(directory, name);
      const message = fs.readFileSync(file, 'utf8');
      const split = message.indexOf('\r\n\r\n');
      const headers = new Map(
        message
          .slice(0, split)
          .split('\r\n')
          .map((line) => {
            const colon = line.indexOf(':');
            return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const;
          }),
      );
      return {
        file,
        to: headers.get('to') ?? '',
        subject: decodeHeader(headers.get('subject') ?? ''),
        text: decodeQuotedPrintable(message.slice(split + 4)),
      };
    });
}

/** RFC 2047's `=?UTF-8?B?…?=`, as alarmEmailMessage writes a header outside ASCII. */
function decodeHeader(value: string): string {
  const encoded = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/i.exec(value);
  return encoded === null ? value : Buffer.from(encoded[1], 'base64').toString('utf8');
}

/** RFC 2045's quoted-printable: soft line breaks joined, `=XX` bytes decoded as UTF-8. */
function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let index = 0; index < joined.length; index++) {
    const hex = joined.slice(index + 1, index + 3);
    if (joined[index] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else bytes.push(...Buffer.from(joined[index], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
}
