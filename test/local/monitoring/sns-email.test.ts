// @tier e2e
import { alarmEmailBody, alarmEmailMessage, type AlarmEmail } from '@monitored/cloudwatch-local';
import { hasHiddenControls } from '@monitored/cloudwatch-model';
import { parseEmailWithPython } from '../../support/python-email';

const METRIC_ALARM: AlarmEmail = {
  alarmName: 'msgs-prod-api-journey-failing',
  alarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:msgs-prod-api-journey-failing',
  description:
    'The API journey failed. Check first: https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/msgs-prod ' +
    'Dépêchez-vous ✓',
  region: 'us-east-1',
  accountId: '000000000000',
  oldState: 'OK',
  newState: 'ALARM',
  reason:
    'Threshold Crossed: 1 out of the last 1 datapoints [0.0 (28/11/26 10:06:00)] was less than the threshold (100.0) (minimum 1 datapoint for OK -> ALARM transition).',
  timestamp: new Date('2026-11-28T10:07:17Z'),
  alarmActions: ['arn:aws:sns:us-east-1:000000000000:msgs-prod-alarms'],
  okActions: ['arn:aws:sns:us-east-1:000000000000:msgs-prod-alarms'],
  insufficientDataActions: [],
  metric: {
    namespace: 'CloudWatchSynthetics',
    metricName: 'SuccessPercentWithRetries',
    dimensions: { CanaryName: 'msgs-prod-api' },
    statistic: 'Average',
    period: 360,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: 'LessThanThreshold',
    threshold: 100,
    treatMissingData: 'notBreaching',
  },
  topicArn: 'arn:aws:sns:us-east-1:000000000000:msgs-prod-alarms',
  recipient: 'oncall@example.com',
};

describe('the alarm email', () => {
  it('is a message any mail client reads: headers, date and UTF-8 body survive a real parser', () => {
    const { message } = alarmEmailMessage(METRIC_ALARM);
    const parsed = parseEmailWithPython(message);
    expect(parsed).toMatchObject({
      subject: 'ALARM: "msgs-prod-api-journey-failing" in US East (N. Virginia)',
      from: 'AWS Notifications <no-reply@sns.amazonaws.com>',
      to: 'oncall@example.com',
      date: '2026-11-28T10:07:17+00:00',
      contentType: 'text/plain',
      defects: [],
    });
    expect(parsed.body.replace(/\r\n/g, '\n').trimEnd()).toBe(alarmEmailBody(METRIC_ALARM));
    expect(parsed.longestLine).toBeLessThanOrEqual(78);
  });

  it("shows a request's text (a state reason set through the monitor, a canary's error) by the one rule: a bidi override or a control is an escape in the subject and body, never the character", () => {
    const hostile = {
      ...METRIC_ALARM,
      alarmName: 'msgs-prod-\u202eevil',
      reason: 'Set by hand: \u202etxt.exe\u2066 and \x1b[2J',
      localNotes: ['The run failed: got "\u202eabc"'],
    };

    const { subject, message } = alarmEmailMessage(hostile);
    const parsed = parseEmailWithPython(message);

    for (const text of [subject, parsed.subject, parsed.body]) {
      expect(hasHiddenControls(text.replace(/\r?\n/g, ' '))).toBe(false);
    }
    expect(parsed.subject).toContain('msgs-prod-\\u202eevil');
    expect(parsed.body).toContain('Set by hand: \\u202etxt.exe\\u2066 and \\x1b[2J');
    expect(parsed.body).toContain('got "\\u202eabc"');
    expect(parsed.defects).toEqual([]);
  });

  it('says what SNS says for a metric alarm: reason, threshold, metric and actions', () => {
    const body = alarmEmailBody(METRIC_ALARM);
    expect(body).toContain(
      'You are receiving this email because your Amazon CloudWatch Alarm "msgs-prod-api-journey-failing" in the US East (N. Virginia) region has entered the ALARM state, because "Threshold Crossed: 1 out of the last 1 datapoints [0.0 (28/11/26 10:06:00)]',
    );
    expect(body).toContain('- State Change:               OK -> ALARM');
    expect(body).toContain(
      '- The alarm is in the ALARM state when the metric is LessThanThreshold 100.0 for at least 1 of the last 1 period(s) of 360 seconds.',
    );
    expect(body).toContain('- Dimensions:                          [CanaryName = msgs-prod-api]');
    expect(body).toContain('- ALARM: [arn:aws:sns:us-east-1:000000000000:msgs-prod-alarms]');
    expect(body).toContain('- INSUFFICIENT_DATA: \n');
  });

  it('rewrites the links that have a local equivalent, in the console link and the description', () => {
    const body = alarmEmailBody({
      ...METRIC_ALARM,
      rewriteLink: (url) => (url.includes('dashboards') ? 'http://localhost:8090/' : url),
    });
    expect(body).toContain('Check first: http://localhost:8090/ ');
    expect(body).toContain(
      'deeplink.js?region=us-east-1#alarmsV2:alarm/msgs-prod-api-journey-failing',
    );
  });

  it('says what SNS says for a composite alarm: the rule and the triggering children', () => {
    const body = alarmEmailBody({
      ...METRIC_ALARM,
      alarmName: 'msgs-prod-site-down',
      metric: undefined,
      alarmRule:
        'ALARM("msgs-prod-api-journey-failing") OR ALARM("msgs-prod-website-journey-failing")',
      reason:
        'arn:aws:cloudwatch:us-east-1:000000000000:alarm:msgs-prod-api-journey-failing transitioned to ALARM at Saturday 28 November, 2026 10:07:17 UTC',
      triggeringChildren: [
        { arn: METRIC_ALARM.alarmArn, state: 'ALARM', timestamp: METRIC_ALARM.timestamp },
      ],
    });
    expect(body).toContain(
      'has transitioned to ALARM state on Saturday 28 November, 2026 10:07:17 UTC, because "arn:aws:cloudwatch',
    );
    expect(body).toContain(
      '- Alarm Rule:                 ALARM("msgs-prod-api-journey-failing") OR ALARM("msgs-prod-website-journey-failing")',
    );
    expect(body).toContain('Triggering children (max. 10):');
    expect(body).not.toContain('Monitored Metric:');
  });
});
