/**
 * The email SNS delivers to an email subscriber when a CloudWatch alarm changes state, as an RFC 5322
 * message (one `.eml` file, readable by any mail client). AWS does not document the template; this
 * follows the emails AWS actually sends (subject `ALARM: "<name>" in <region name>`, the "You are
 * receiving this email because…" body with Alarm Details, Threshold, Monitored Metric and State
 * Change Actions, and SNS's unsubscribe footer), as collected in the project's research notes.
 */
import { randomUUID } from 'node:crypto';
import { visibleText, javaDouble, longDate } from '@monitored/cloudwatch-model';

/**
 * The region names CloudWatch writes in its emails' subjects ("ALARM: "name" in US East (N.
 * Virginia)"), for the commercial regions. AWS documents no list for the emails: the names are
 * those of the regions' table (AWS General Reference, "Service endpoints"), with Europe written
 * "EU" as the emails collected in the project's research notes write eu-west-1; a region missing
 * here is written as its code.
 */
export const REGION_NAMES: Readonly<Record<string, string>> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'af-south-1': 'Africa (Cape Town)',
  'ap-east-1': 'Asia Pacific (Hong Kong)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ca-central-1': 'Canada (Central)',
  'eu-central-1': 'EU (Frankfurt)',
  'eu-west-1': 'EU (Ireland)',
  'eu-west-2': 'EU (London)',
  'eu-west-3': 'EU (Paris)',
  'eu-north-1': 'EU (Stockholm)',
  'eu-south-1': 'EU (Milan)',
  'me-south-1': 'Middle East (Bahrain)',
  'sa-east-1': 'South America (Sao Paulo)',
};

export interface AlarmEmailMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: string;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly comparisonOperator: string;
  readonly threshold: number;
  readonly treatMissingData: string;
  readonly unit?: string;
}

export interface AlarmEmail {
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly description?: string;
  readonly region: string;
  readonly accountId: string;
  readonly oldState: string;
  readonly newState: string;
  readonly reason: string;
  /** Simulated time of the state change. */
  readonly timestamp: Date;
  /**
   * When SNS sends it (the Date header): later than the change when a composite's actions were
   * held back until a WaitPeriod or ExtensionPeriod ended. @default timestamp
   */
  readonly sentAt?: Date;
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
  /** Metric alarms. */
  readonly metric?: AlarmEmailMetric;
  /** Composite alarms. */
  readonly alarmRule?: string;
  readonly triggeringChildren?: readonly {
    readonly arn: string;
    readonly state: string;
    readonly timestamp: Date;
  }[];
  readonly topicArn: string;
  readonly recipient: string;
  /** Rewrites a console URL to a local equivalent (the local dashboard, local logs), or keeps it. */
  readonly rewriteLink?: (url: string) => string;
  /**
   * Lines the local monitor adds in a section of their own before SNS's footer, such as what the
   * canaries' latest runs found. AWS's email has nothing like them.
   */
  readonly localNotes?: readonly string[];
}

/** The heading of the local monitor's own section of an email. */
const LOCAL_NOTES_HEADING = 'Local monitor (this section is not in the email AWS sends):';

/** RFC 5322's date: `Sat, 28 Nov 2026 10:00:00 +0000`. */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

const field = (label: string, value: string, width = 28) =>
  `- ${`${label}:`.padEnd(width)}${value}`;
const list = (actions: readonly string[]) =>
  actions.length === 0 ? '' : `[${actions.join(', ')}]`;

/** The text body SNS sends to an email subscriber. */
export function alarmEmailBody(email: AlarmEmail): string {
  const link = email.rewriteLink ?? ((url: string) => url);
  const regionName = REGION_NAMES[email.region] ?? email.region;
  const consoleUrl = `https://${email.region}.console.aws.amazon.com/cloudwatch/deeplink.js?region=${email.region}#alarmsV2:alarm/${encodeURIComponent(email.alarmName)}`;
  const when = longDate(email.timestamp.getTime());
  const opening =
    email.metric === undefined
      ? `You are receiving this email because your Amazon CloudWatch Alarm "${email.alarmName}" in the ${regionName} region has transitioned to ${email.newState} state on ${when}, because "${email.reason}".`
      : `You are receiving this email because your Amazon CloudWatch Alarm "${email.alarmName}" in the ${regionName} region has entered the ${email.newState} state, because "${email.reason}" at "${when}".`;
  const description = (email.description ?? '').replace(/https:\/\/\S+/g, (url) => link(url));
  const lines = [
    opening,
    '',
    'View this alarm in the AWS Management Console:',
    link(consoleUrl),
    '',
    'Alarm Details:',
    field('Name', email.alarmName),
    field('Description', description),
    field('State Change', `${email.oldState} -> ${email.newState}`),
    ...(email.alarmRule === undefined ? [] : [field('Alarm Rule', email.alarmRule)]),
    field('Reason for State Change', email.reason),
    field('Timestamp', when),
    field('AWS Account', email.accountId),
    field('Alarm Arn', email.alarmArn),
    '',
  ];
  if (email.metric !== undefined) {
    const metric = email.metric;
    const dimensions = Object.entries(metric.dimensions).map(
      ([name, value]) => `${name} = ${value}`,
    );
    lines.push(
      'Threshold:',
      `- The alarm is in the ALARM state when the metric is ${metric.comparisonOperator} ${javaDouble(metric.threshold)} for at least ${metric.datapointsToAlarm} of the last ${metric.evaluationPeriods} period(s) of ${metric.period} seconds.`,
      '',
      'Monitored Metric:',
      field('MetricNamespace', metric.namespace, 37),
      field('MetricName', metric.metricName, 37),
      field('Dimensions', dimensions.length === 0 ? '' : `[${dimensions.join('] [')}]`, 37),
      field('Period', `${metric.period} seconds`, 37),
      field('Statistic', metric.statistic, 37),
      field('Unit', metric.unit ?? 'not specified', 37),
      field('TreatMissingData', metric.treatMissingData, 37),
      '',
      '',
    );
  } else {
    lines.push('Triggering children (max. 10):');
    for (const child of email.triggeringChildren ?? []) {
      lines.push(
        `- ${child.arn} transitioned to ${child.state} at ${longDate(child.timestamp.getTime())}`,
      );
    }
    lines.push('');
  }
  lines.push(
    'State Change Actions:',
    `- OK: ${list(email.okActions)}`,
    `- ALARM: ${list(email.alarmActions)}`,
    `- INSUFFICIENT_DATA: ${list(email.insufficientDataActions)}`,
    '',
    ...(email.localNotes === undefined || email.localNotes.length === 0
      ? []
      : ['', LOCAL_NOTES_HEADING, ...email.localNotes.map((note) => `- ${note}`), '']),
    '',
    '--',
    'If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:',
    `https://sns.${email.region}.amazonaws.com/unsubscribe.html?SubscriptionArn=${email.topicArn}:local&Endpoint=${email.recipient}`,
    '',
    'Please do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support',
  );
  return lines.join('\n');
}

/** RFC 2045 quoted-printable, with soft breaks keeping every line at most 76 characters. */
function quotedPrintable(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let encoded = '';
      for (const byte of Buffer.from(line, 'utf8')) {
        const char = String.fromCharCode(byte);
        encoded +=
          (byte >= 33 && byte <= 126 && char !== '=') || byte === 32
            ? char
            : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
      // A space or tab at a line's end must be encoded: mail transports may strip it.
      encoded = encoded.replace(
        /[ \t]$/,
        (space) => `=${space.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
      );
      const wrapped: string[] = [];
      while (encoded.length > 76) {
        let cut = 75;
        // Never split an =XX escape.
        if (encoded[cut - 1] === '=') cut -= 1;
        else if (encoded[cut - 2] === '=') cut -= 2;
        wrapped.push(`${encoded.slice(0, cut)}=`);
        encoded = encoded.slice(cut);
      }
      wrapped.push(encoded);
      return wrapped.join('\r\n');
    })
    .join('\r\n');
}

/** RFC 2047 for a header with characters outside ASCII. */
function headerText(value: string): string {
  return /^[\x20-\x7e]*$/.test(value)
    ? value
    : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/**
 * The whole message: headers and a quoted-printable UTF-8 body, CRLF line ends. Subject and body
 * are shown by the one rule for a request's text (a state reason set through the monitor, a
 * canary's error quoting an answer): a control or a bidi override is written as an escape. (SNS
 * would send them as they are.)
 */
export function alarmEmailMessage(email: AlarmEmail): { subject: string; message: string } {
  const regionName = REGION_NAMES[email.region] ?? email.region;
  const subject = visibleText(`${email.newState}: "${email.alarmName}" in ${regionName}`);
  const headers = [
    'From: AWS Notifications <no-reply@sns.amazonaws.com>',
    `To: ${email.recipient}`,
    `Subject: ${headerText(subject)}`,
    `Date: ${rfc5322Date(email.sentAt ?? email.timestamp)}`,
    `Message-ID: <${randomUUID()}@email.amazonses.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: quoted-printable',
  ];
  return {
    subject,
    message: `${headers.join('\r\n')}\r\n\r\n${quotedPrintable(visibleText(alarmEmailBody(email), { keepLayout: true }))}\r\n`,
  };
}
