import { consoleLink } from '@monitored/cloudwatch-model';
import {
  awsUrls,
  DEFAULT_LOG_QUERY,
  localLink,
  type LocalLinkTargets,
} from '@monitored/cloudwatch-local';
import { LOCAL_URLS, stageDefinitions } from '../../support/monitor';

const REGION = 'us-west-2';
const targets: LocalLinkTargets = {
  monitorUrl: '',
  dashboardName: 'msgs-dev-health',
  awsUrls: awsUrls(REGION),
  localUrls: LOCAL_URLS,
};

/** The `/logs` page a link opens, read back. */
function logsPage(link: string): { query: string; groups: string[]; start: string } {
  const url = new URL(link, 'http://monitor.test');
  expect(url.pathname).toBe('/logs');
  return {
    query: url.searchParams.get('query') ?? '',
    groups: (url.searchParams.get('groups') ?? '').split(','),
    start: url.searchParams.get('start') ?? '',
  };
}

describe('localLink: console links open the local equivalent', () => {
  it("opens the monitored dashboard's link at /, and leaves another dashboard's alone", () => {
    expect(localLink(consoleLink.dashboard(REGION, 'msgs-dev-health'), targets)).toBe('/');
    const other = consoleLink.dashboard(REGION, 'someone-elses');
    expect(localLink(other, targets)).toBe(other);
  });

  it("opens an alarm's link, the console's and the email's (deeplink.js) forms, at /alarms/<name>", () => {
    expect(localLink(consoleLink.alarm(REGION, 'msgs-dev-site-down'), targets)).toBe(
      '/alarms/msgs-dev-site-down',
    );
    // The form of the local alarm emails' "View this alarm" line (@monitored/cloudwatch-local's sns-email.ts).
    const email = `https://${REGION}.console.aws.amazon.com/cloudwatch/deeplink.js?region=${REGION}#alarmsV2:alarm/${encodeURIComponent('msgs-dev-api-journey-failing')}`;
    expect(localLink(email, targets)).toBe('/alarms/msgs-dev-api-journey-failing');
  });

  it("opens a canary's link at /canaries/<name>", () => {
    expect(localLink(consoleLink.canary(REGION, 'msgs-dev-api'), targets)).toBe(
      '/canaries/msgs-dev-api',
    );
  });

  it("opens a log group's link as the default query over that group, for the last 3 hours", () => {
    const page = logsPage(
      localLink(consoleLink.logGroup(REGION, '/aws/lambda/msgs-dev-api'), targets),
    );
    expect(page).toEqual({
      query: DEFAULT_LOG_QUERY,
      groups: ['/aws/lambda/msgs-dev-api'],
      start: '-10800',
    });
  });

  it('opens a Logs Insights link with its query, groups and look-back, character for character', () => {
    const query = 'fields @timestamp, @message\n| filter level = "ERROR" and path like /^\\/m/';
    const groups = ['/aws/lambda/msgs-dev-api', '/aws/apigateway/msgs-dev-api'];
    const link = consoleLink.logsInsights({
      region: REGION,
      logGroups: groups,
      query,
      lookBackSeconds: 3600,
    });
    expect(logsPage(localLink(link, targets))).toEqual({ query, groups, start: '-3600' });
  });

  it("ends a log query's range at the moment of an email's alarm, when the link is anchored there", () => {
    const at = Date.UTC(2026, 10, 28, 10, 13);
    const link = consoleLink.logsInsights({
      region: REGION,
      logGroups: ['/aws/lambda/msgs-dev-api'],
      query: 'fields @message',
      lookBackSeconds: 3600,
    });
    const url = new URL(localLink(link, { ...targets, anchoredAt: at }), 'http://monitor.test');
    expect([url.searchParams.get('start'), url.searchParams.get('end')]).toEqual([
      '2026-11-28T09:13:00.000Z',
      '2026-11-28T10:13:00.000Z',
    ]);
  });

  it("reaches from the look-back before an email's alarm to when the email was written, which takes in the lines of the runs its evaluation waited for", () => {
    const at = Date.UTC(2026, 10, 28, 10, 13);
    const link = consoleLink.logsInsights({
      region: REGION,
      logGroups: ['/aws/lambda/msgs-dev-api'],
      query: 'fields @message',
      lookBackSeconds: 3600,
    });
    const url = new URL(
      localLink(link, { ...targets, anchoredAt: at, anchoredUntil: at + 4 * 60_000 }),
      'http://monitor.test',
    );
    expect([url.searchParams.get('start'), url.searchParams.get('end')]).toEqual([
      '2026-11-28T09:13:00.000Z',
      '2026-11-28T10:17:00.000Z',
    ]);
  });

  it("puts the monitor's address in front for links that leave its pages (emails)", () => {
    const forEmails = { ...targets, monitorUrl: 'http://127.0.0.1:8090' };
    expect(localLink(consoleLink.alarm(REGION, 'msgs-dev-site-down'), forEmails)).toBe(
      'http://127.0.0.1:8090/alarms/msgs-dev-site-down',
    );
  });
});

describe("localLink: the stage's site and API open the local ones", () => {
  it('rebases the stand-in AWS URLs, keeping path, query and fragment', () => {
    const { apiUrl, websiteUrl } = awsUrls(REGION);
    expect(localLink(`${apiUrl}/messages`, targets)).toBe('http://127.0.0.1:3000/messages');
    expect(localLink(`${apiUrl}/messages/abc?x=1`, targets)).toBe(
      'http://127.0.0.1:3000/messages/abc?x=1',
    );
    expect(localLink(websiteUrl, targets)).toBe('http://127.0.0.1:8080');
    expect(localLink(`${websiteUrl}/?id=1#top`, targets)).toBe('http://127.0.0.1:8080/?id=1#top');
  });

  it.each([
    ['a host that only starts like the API', `${awsUrls(REGION).apiUrl}.evil.example/messages`],
    ["another region's API", `${awsUrls('eu-west-1').apiUrl}/messages`],
    [
      'an AWS documentation page',
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html',
    ],
    [
      "another service's console",
      `https://${REGION}.console.aws.amazon.com/lambda/home?region=${REGION}#/functions`,
    ],
    [
      'a console fragment it does not know',
      `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#metricsV2`,
    ],
    ['a relative link', '/already/local'],
    ['a mail link', 'mailto:oncall@example.com'],
  ])('leaves %s as it is', (_case, url) => {
    expect(localLink(url, targets)).toBe(url);
  });
});

describe.each(['dev', 'prod'] as const)("the %s stage's links, as synthesized", (stage) => {
  const definitions = stageDefinitions(stage);
  const stageTargets: LocalLinkTargets = {
    monitorUrl: '',
    dashboardName: definitions.dashboard.name,
    awsUrls: awsUrls(definitions.region),
    localUrls: LOCAL_URLS,
  };

  it("leave no link of the dashboard's header or of an alarm description pointing at AWS", () => {
    const texts = [
      ...definitions.dashboard.body.widgets.flatMap((widget) =>
        typeof widget.properties.markdown === 'string' ? [widget.properties.markdown] : [],
      ),
      ...[...definitions.metricAlarms, ...definitions.compositeAlarms].map(
        (alarm) => alarm.description ?? '',
      ),
    ];
    const links = texts.flatMap((text) =>
      [...text.matchAll(/https:\/\/[^\s)]+/g)].map((m) => m[0]),
    );
    expect(links.length).toBeGreaterThan(10);
    const local = links.map((link) => localLink(link, stageTargets));
    expect(local.filter((link) => /amazonaws\.com|cloudfront\.net/.test(link))).toEqual([]);
  });
});
